using MicroMoment.Silo.Execution;
using Microsoft.Extensions.DependencyInjection;

namespace MicroMoment.Silo;

/// <summary>
/// Starts the silo's model executor when the silo starts rather than at the first event, so a backend that was named
/// but cannot start here fails the silo's start with the reason (<see cref="StepBackendUnavailableException"/>).
/// </summary>
internal sealed class ExecutorStartup(IServiceProvider services) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <inheritdoc/>
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ExecutorStartup), ServiceLifecycleStage.RuntimeInitialize, Start);

    private Task Start(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<ModelExecutor>();
        return Task.CompletedTask;
    }
}
