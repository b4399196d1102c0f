using System.Net;
using System.Net.Sockets;
using MicroMoment.Grains;
using MicroMoment.Scoring;
using MicroMoment.Silo.Execution;
using MicroMoment.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace MicroMoment.Silo;

/// <summary>
/// A MicroMoment silo in this process: a Microsoft Orleans silo with localhost clustering that hosts the user, trigger,
/// cluster-centroid and experiment-counter grains, the batched model executor and the grain storage (SQLite under
/// <see cref="SiloOptions.DataDirectory"/>, or none), fronted by <see cref="GrainSilo"/>. <c>micromoment serve</c>
/// co-hosts one with the gateway (<see cref="FromServices"/>); tests, benchmarks and the policy simulator start their
/// own (<see cref="StartAsync"/>).
/// </summary>
public sealed class EmbeddedSilo : IMicroMomentSilo, ISiloCensus, Monitoring.ISiloMeterScope
{
    private readonly IHost? _host;
    private readonly GrainSilo _front;
    private int _disposed;

    private EmbeddedSilo(IServiceProvider services, IHost? host)
    {
        Services = services;
        _host = host;
        _front = services.GetRequiredService<GrainSilo>();
    }

    /// <summary>The silo's services (Orleans' and MicroMoment's).</summary>
    public IServiceProvider Services { get; }

    /// <inheritdoc/>
    public object? MeterScope => Services.GetService<System.Diagnostics.Metrics.IMeterFactory>();

    /// <summary>Calls grains of this silo.</summary>
    public IGrainFactory GrainFactory => Services.GetRequiredService<IGrainFactory>();

    /// <inheritdoc/>
    public MicroMomentModel Model => _front.Model;

    /// <summary>The silo's shared context (model, executor, policy, counters).</summary>
    public SiloContext Context => _front.Context;

    /// <summary>The validated options.</summary>
    public SiloOptions Options => Context.Options;

    /// <summary>The model's behavioral clusters.</summary>
    public ClusterCentroids Clusters => Context.Clusters;

    /// <summary>The grain storage file, or null without persistence.</summary>
    public string? StatePath => Options.DataDirectory is { } directory ? Path.Combine(Path.GetFullPath(directory), SqliteGrainStorageOptions.DefaultFileName) : null;

    /// <summary>The running trigger policy and how its reloads went.</summary>
    public PolicyStatus PolicyStatus => _front.PolicyStatus;

    /// <summary>
    /// Starts a silo in this process: validates the options, opens the storage (refusing a locked directory or a damaged
    /// file with a message that names it) and returns once the silo is active.
    /// </summary>
    /// <param name="model">The model to score with.</param>
    /// <param name="options">Settings (null: defaults, no persistence).</param>
    /// <param name="time">The silo clock for offer expiry, session liveness and alerts (null: system clock).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <param name="gatewayPort">The loopback port of the Orleans client gateway for Orleans clients (0: none).</param>
    /// <param name="configure">Further set-up of the Orleans silo (e.g. its dashboard's services).</param>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    /// <exception cref="DataDirectoryInUseException">Another process holds the data directory.</exception>
    /// <exception cref="StateFileException">The state file is damaged or not a state file of this build.</exception>
    public static async Task<EmbeddedSilo> StartAsync(
        MicroMomentModel model, SiloOptions? options = null, TimeProvider? time = null, CancellationToken cancellationToken = default, int gatewayPort = 0,
        Action<ISiloBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new SiloOptions();
        options.Validate();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.UseOrleans(silo =>
        {
            UseLocalhost(silo, gatewayPort);
            silo.AddMicroMomentSilo(model, options, time);
            configure?.Invoke(silo);
        });
        var host = builder.Build();
        try
        {
            await StartHostAsync(host, options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new EmbeddedSilo(host.Services, host);
    }

    /// <summary>The silo co-hosted in an application whose silo was configured with <see cref="MicroMomentSiloExtensions.AddMicroMomentSilo"/>.</summary>
    public static EmbeddedSilo FromServices(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return new EmbeddedSilo(services, null);
    }

    /// <summary>The Orleans service id of a single-process silo (what an Orleans client connecting to it names).</summary>
    public const string ServiceId = MicroMomentCluster.ServiceId;

    /// <summary>The Orleans cluster id of a single-process silo.</summary>
    public const string ClusterId = MicroMomentCluster.ClusterId;

    /// <summary>
    /// Single-silo clustering on loopback: the silo-to-silo port is a free one, and the Orleans client gateway (for .NET
    /// backends using Orleans' client) listens on <paramref name="gatewayPort"/> (0: no client gateway).
    /// </summary>
    public static ISiloBuilder UseLocalhost(ISiloBuilder silo, int gatewayPort)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.UseLocalhostClustering(siloPort: FreePort(), gatewayPort: gatewayPort, serviceId: ServiceId, clusterId: ClusterId);
        silo.Configure<EndpointOptions>(o => o.AdvertisedIPAddress = IPAddress.Loopback);
        return silo;
    }

    /// <summary>Starts <paramref name="host"/>, turning storage failures at start into the project's exceptions.</summary>
    internal static async Task StartHostAsync(IHost host, SiloOptions options, CancellationToken cancellationToken)
    {
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Find<StepBackendUnavailableException>(ex) is { } backend)
        {
            throw new StepBackendUnavailableException(backend.Backend, backend.Message, ex);
        }
        catch (Exception ex) when (Find<SqliteGrainStorageException>(ex) is { } storage)
        {
            string directory = Path.GetFullPath(options.DataDirectory ?? ".");
            if (storage.DirectoryInUse) throw new DataDirectoryInUseException(directory, DataDirectoryLock.OwnerOf(directory), storage);
            throw new StateFileException(Path.Combine(directory, SqliteGrainStorageOptions.DefaultFileName), storage.Message, storage);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<IngestOutcome>> IngestAsync(IReadOnlyList<Events.ClickEvent> events, CancellationToken cancellationToken = default) =>
        _front.IngestAsync(events, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<UserView?> GetUserAsync(string tenant, string userId, CancellationToken cancellationToken = default) =>
        _front.GetUserAsync(tenant, userId, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<FeedbackOutcome> RecordFeedbackAsync(string offerId, OfferFeedback feedback, DateTime at, CancellationToken cancellationToken = default) =>
        _front.RecordFeedbackAsync(offerId, feedback, at, cancellationToken);

    /// <inheritdoc/>
    public ValueTask SetConsentAsync(string tenant, string userId, Consent consent, CancellationToken cancellationToken = default) =>
        _front.SetConsentAsync(tenant, userId, consent, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> EraseUserAsync(string tenant, string userId, CancellationToken cancellationToken = default) =>
        _front.EraseUserAsync(tenant, userId, cancellationToken);

    /// <inheritdoc/>
    public void Subscribe(IOfferSink sink) => _front.Subscribe(sink);

    /// <inheritdoc/>
    public ValueTask WatchAsync(string tenant, string userId, CancellationToken cancellationToken = default) => _front.WatchAsync(tenant, userId, cancellationToken);

    /// <inheritdoc/>
    public ValueTask UnwatchAsync(string tenant, string userId, CancellationToken cancellationToken = default) => _front.UnwatchAsync(tenant, userId, cancellationToken);

    /// <inheritdoc/>
    public SiloStatistics GetStatistics() => _front.GetStatistics();

    /// <inheritdoc/>
    public ValueTask<ExperimentsReport> GetExperimentsAsync(CancellationToken cancellationToken = default) => _front.GetExperimentsAsync(cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SessionCensus> CensusAsync(int hottest, CancellationToken cancellationToken = default) => _front.CensusAsync(hottest, cancellationToken);

    /// <summary>
    /// Checks the policy file now (as a file-system notification would) and swaps the policy when its content changed
    /// and validates; true when it swapped. False without a policy file.
    /// </summary>
    public bool ReloadPolicy() => Services.GetRequiredService<PolicyHost>().Reload();

    /// <summary>Writes every active grain's unwritten changes and the experiment counts; returns once they are stored.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await Services.GetRequiredService<ExperimentCountFlusher>().FlushAsync(cancellationToken).ConfigureAwait(false);
        var grains = GrainFactory;
        await Task.WhenAll(Context.Shoppers.Grains.Select(g => grains.GetGrain<IUserGrain>(GrainKeys.Of(g.Tenant, g.UserId)).FlushAsync()))
            .WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs every active shopper's clock-driven duties now, by the silo clock (see <see cref="IUserGrain.MaintainAsync"/>):
    /// proposals past their lifetime expire, and grains without messages for longer than the idle timeout leave memory
    /// (writing their changes); then the experiment counts are handed over. Orleans' timers and idle collection do the same
    /// on their own by real time.
    /// </summary>
    public async Task RunMaintenanceAsync(CancellationToken cancellationToken = default)
    {
        var grains = GrainFactory;
        await Task.WhenAll(Context.Shoppers.Grains.Select(g => grains.GetGrain<IUserGrain>(GrainKeys.Of(g.Tenant, g.UserId)).MaintainAsync()))
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        // Deactivations requested by the grains run after their turns; wait until they are done.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Context.Shoppers.Grains.Any(g => g.LeavingMemory) && DateTime.UtcNow < deadline) await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        await Services.GetRequiredService<ExperimentCountFlusher>().FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Collects the grains idle for longer than <paramref name="idleFor"/> (default: the idle timeout) now instead of
    /// at Orleans' next collection round; each writes its changes as it goes.
    /// </summary>
    public async Task CollectIdleAsync(TimeSpan? idleFor = null, CancellationToken cancellationToken = default)
    {
        await Services.GetRequiredService<ExperimentCountFlusher>().FlushAsync(cancellationToken).ConfigureAwait(false);
        var management = GrainFactory.GetGrain<IManagementGrain>(0);
        await management.ForceActivationCollection(idleFor ?? Context.IdleTimeout).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops taking events, deactivates every grain (each writes its changes) and stops the silo.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _front.StopAsync().ConfigureAwait(false);
        if (_host is null) return;
        try
        {
            await _host.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await _front.DisposeAsync().ConfigureAwait(false);
            _host.Dispose();
        }
    }

    private static T? Find<T>(Exception? error)
        where T : Exception
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is T found) return found;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (Find<T>(inner) is { } nested) return nested;
                }
            }
        }

        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
