using MicroMoment.Scoring;

namespace MicroMoment.Silo.Execution;

/// <summary>Creates the executor backend a silo option names; a backend the silo cannot have is refused with the reason.</summary>
public static class StepBackendFactory
{
    /// <summary>The backend names this build knows.</summary>
    public static IReadOnlyList<string> Names { get; } = [SimdStepBackend.BackendName];

    /// <summary>The backend named <paramref name="name"/> for <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">The name is unknown (the message lists the known ones).</exception>
    public static IStepBackend Create(string name, MicroMomentModel model, ModelExecutorOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        return name switch
        {
            SimdStepBackend.BackendName => new SimdStepBackend(model.Network, options.MaxBatch, options.DegreeOfParallelism),
            _ => throw new ArgumentException($"The executor backend '{name}' is unknown; expected one of: {string.Join(", ", Names)}.", nameof(name)),
        };
    }
}
