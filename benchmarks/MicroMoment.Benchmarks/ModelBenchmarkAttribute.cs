using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;

namespace MicroMoment.Benchmarks;

/// <summary>
/// The configuration of every model benchmark: allocations (<see cref="MemoryDiagnoser"/>), the median time and
/// <see cref="OpsPerSecondColumn"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ModelBenchmarkAttribute : Attribute, IConfigSource
{
    /// <inheritdoc />
    public IConfig Config { get; } = ManualConfig.CreateEmpty()
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddColumn(StatisticColumn.Median, new OpsPerSecondColumn());
}
