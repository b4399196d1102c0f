using MicroMoment.Scoring;
using MicroMoment.Silo.Execution;
using MicroMoment.Silo.Grains;
using MicroMoment.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Storage;

namespace MicroMoment.Silo;

/// <summary>Registers MicroMoment's grains and their silo services on an Orleans silo.</summary>
public static class MicroMomentSiloExtensions
{
    /// <summary>
    /// The name of the grain storage MicroMoment's grains keep their state in: a host that passes
    /// <c>storageConfigured: true</c> to <see cref="AddMicroMomentSilo"/> registers its store under this name.
    /// </summary>
    public const string GrainStorageName = "grains";

    /// <summary>
    /// Adds what MicroMoment's grains need on this silo: the model and its batched executor, the trigger policy (watched
    /// when it comes from a file), the silo context, the experiment counts' hand-over, idle collection after the session
    /// timeout, and grain storage named <see cref="GrainStorageName"/>: SQLite under
    /// <see cref="SiloOptions.DataDirectory"/>, or none (state only while active) without one, unless
    /// <paramref name="storageConfigured"/> says the host registered that storage itself (a cluster store).
    /// Also registers <see cref="GrainSilo"/> as the <see cref="IMicroMomentSilo"/> a co-hosted gateway uses.
    /// </summary>
    /// <param name="silo">The silo.</param>
    /// <param name="model">The model to score with.</param>
    /// <param name="options">Settings (validated here).</param>
    /// <param name="clock">The silo clock for offer expiry, session liveness and alerts (null: the system clock); Orleans keeps its own.</param>
    /// <param name="storageConfigured">True when the host added a grain storage named <see cref="GrainStorageName"/> (a store all silos of a cluster share).</param>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public static ISiloBuilder AddMicroMomentSilo(this ISiloBuilder silo, MicroMomentModel model, SiloOptions options, TimeProvider? clock = null, bool storageConfigured = false)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var services = silo.Services;
        var idle = options.IdleTimeout ?? model.SessionTimeout;
        services.AddSingleton(model);
        services.AddSingleton(options);
        var executorOptions = new ModelExecutorOptions { Backend = options.Backend, MaxBatch = options.BatchSize, QuietPeriod = options.BatchQuietPeriod, YieldBeforePartialBatch = options.BatchYield, PerEvent = options.PerEventSteps };
        services.AddSingleton(sp =>
        {
            var backend = StepBackendFactory.Create(options.Backend, model, executorOptions, out string? fallback);
            if (fallback is not null) SiloLog.BackendFallback(sp.GetRequiredService<ILogger<ModelExecutor>>(), fallback, backend.Name);
            return new ModelExecutor(backend, executorOptions, sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(), () => StepBackendFactory.Create(backend.Name, model, executorOptions with { MaxBatch = 1 }));
        });
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ExecutorStartup>();
        services.AddSingleton(sp => new SiloContext(model, options, sp.GetRequiredService<ModelExecutor>(), clock ?? TimeProvider.System, sp.GetService<System.Diagnostics.Metrics.IMeterFactory>())
        {
            Persistent = storageConfigured || options.DataDirectory is not null,
            SiloAddress = sp.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString(),
            Logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("MicroMoment.Silo.Grains"),
        });
        services.AddSingleton<PolicyHost>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<PolicyHost>());
        services.AddSingleton<ExperimentCountFlusher>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ExperimentCountFlusher>());
        services.AddSingleton(sp =>
        {
            var policy = sp.GetRequiredService<PolicyHost>();
            return new GrainSilo(sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<SiloContext>(), sp.GetRequiredService<ExperimentCountFlusher>(), () => policy.Status, sp.GetRequiredService<ILogger<GrainSilo>>(), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>());
        });
        services.AddSingleton<IMicroMomentSilo>(sp => sp.GetRequiredService<GrainSilo>());
        // Each silo's report grain (ISiloReportGrain) runs on the silo its key names.
        services.AddPlacementDirector<Placement.SiloPinnedPlacement, Placement.SiloPinnedPlacementDirector>();

        services.Configure<GrainCollectionOptions>(o =>
        {
            // Shoppers' grains go idle with their session; the quantum must stay below the shortest age.
            if (o.CollectionQuantum >= idle) o.CollectionQuantum = idle / 2;
            o.ClassSpecificCollectionAge[typeof(UserGrain).FullName!] = idle;
            o.ClassSpecificCollectionAge[typeof(TriggerGrain).FullName!] = idle;
        });

        // Grain state goes through Orleans' binary serializer (the generated codecs): compact, and version tolerant by field id.
        services.TryAddSingleton<OrleansGrainStorageSerializer>();
        if (!storageConfigured)
        {
            if (options.DataDirectory is { } directory)
            {
                silo.AddSqliteGrainStorage(UserGrain.StorageName, o => o.Configure<OrleansGrainStorageSerializer>((storage, serializer) =>
                {
                    storage.DataDirectory = directory;
                    storage.GrainStorageSerializer = serializer;
                }));
            }
            else
            {
                services.AddKeyedSingleton<IGrainStorage, NullGrainStorage>(UserGrain.StorageName);
            }
        }

        return silo;
    }
}
