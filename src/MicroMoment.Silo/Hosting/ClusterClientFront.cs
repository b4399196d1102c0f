using MicroMoment.Scoring;
using System.Diagnostics.Metrics;
using MicroMoment.Silo.Execution;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MicroMoment.Silo;

/// <summary>
/// <see cref="IMicroMomentSilo"/> for a process that is only an Orleans client of a MicroMoment cluster (the stateless
/// <c>micromoment gateway</c>): events, views, consent, erasure, feedback and offer watches go to the grains on the
/// cluster's silos through the client's <see cref="IGrainFactory"/>. Its statistics count what this front handed in and
/// what the grains answered; the model executor it holds steps nothing (the silos step the network).
/// </summary>
public static class ClusterClientFront
{
    /// <summary>Builds the front over <paramref name="grains"/> (an Orleans client's <c>IClusterClient</c>).</summary>
    /// <param name="grains">Calls the cluster's grains.</param>
    /// <param name="model">The model the cluster scores with (the dashboards read its clusters and features).</param>
    /// <param name="options">Settings: the queue capacity bounds the events this front has in hand; the policy file is read once for /v1/policy.</param>
    /// <param name="loggers">Creates the front's loggers (null: nothing is logged).</param>
    /// <param name="meters">Creates the front's meters (null: unscoped meters).</param>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public static IMicroMomentSilo Create(IGrainFactory grains, MicroMomentModel model, SiloOptions? options = null, ILoggerFactory? loggers = null, IMeterFactory? meters = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(model);
        options ??= new SiloOptions();
        options.Validate();
        // The scalar kernel needs no native library: the front never steps, it only reports the executor's (zero) counters.
        var executorOptions = new ModelExecutorOptions { Backend = SimdStepBackend.BackendName, MaxBatch = 1 };
        var backend = StepBackendFactory.Create(SimdStepBackend.BackendName, model, executorOptions, out _);
        loggers ??= NullLoggerFactory.Instance;
        var context = new SiloContext(model, options, new ModelExecutor(backend, executorOptions, meters), TimeProvider.System, meters) { Persistent = true };
        var policy = new PolicyHost(context, loggers.CreateLogger<PolicyWatcher>());
        var flusher = new ExperimentCountFlusher(context, grains, loggers.CreateLogger<ExperimentCountFlusher>());
        return new GrainSilo(grains, context, flusher, () => policy.Status, loggers.CreateLogger<GrainSilo>(), meters) { CountsAnswers = true };
    }
}
