namespace MicroMoment.Silo;

/// <summary>
/// The silo's trigger policy over its life: a fixed status for the built-in policy, or a <see cref="PolicyWatcher"/> on
/// the policy file from the moment the silo runs until it stops.
/// </summary>
internal sealed class PolicyHost(SiloContext context, Microsoft.Extensions.Logging.ILogger<PolicyWatcher> log) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly PolicyStatus _fixed = PolicyWatcher.StatusOf(context.Policy, context.PolicyHash, context.Clock.GetUtcNow(), 0, 0, null, null, watching: false);
    private PolicyWatcher? _watcher;

    /// <summary>The running policy and how its reloads went.</summary>
    public PolicyStatus Status => Volatile.Read(ref _watcher)?.Status ?? _fixed;

    /// <summary>Checks the policy file now; true when the policy changed. False without a policy file.</summary>
    public bool Reload() => Volatile.Read(ref _watcher)?.Check(force: true) ?? false;

    /// <inheritdoc/>
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PolicyHost), ServiceLifecycleStage.ApplicationServices, Start, Stop);

    /// <inheritdoc/>
    public void Dispose() => Interlocked.Exchange(ref _watcher, null)?.Dispose();

    private Task Start(CancellationToken cancellationToken)
    {
        var options = context.Options;
        if (options.PolicyPath is { } path)
            Volatile.Write(ref _watcher, new PolicyWatcher(context, path, context.PolicyHash!, options.PolicyPollInterval, context.Clock, log));
        return Task.CompletedTask;
    }

    private Task Stop(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }
}
