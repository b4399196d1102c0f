using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace MicroMoment.Benchmarks;

/// <summary>Adds <see cref="OpsPerSecondColumn"/> to a benchmark class.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class OpsPerSecondColumnAttribute : Attribute, IConfigSource
{
    /// <inheritdoc />
    public IConfig Config { get; } = ManualConfig.CreateEmpty().AddColumn(new OpsPerSecondColumn());
}
