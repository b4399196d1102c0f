using BenchmarkDotNet.Configs;

namespace MicroMoment.Benchmarks;

/// <summary>Adds <see cref="StepsPerSecondColumn"/> to a benchmark class with a Batch parameter.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class StepsPerSecondColumnAttribute : Attribute, IConfigSource
{
    /// <inheritdoc />
    public IConfig Config { get; } = ManualConfig.CreateEmpty().AddColumn(new StepsPerSecondColumn());
}
