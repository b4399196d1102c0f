using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace MicroMoment.Benchmarks;

/// <summary>Shopper steps per second: the benchmark's Batch parameter divided by its median time per operation.</summary>
public sealed class StepsPerSecondColumn : IColumn
{
    /// <inheritdoc />
    public string Id => nameof(StepsPerSecondColumn);

    /// <inheritdoc />
    public string ColumnName => "Steps/s (median)";

    /// <inheritdoc />
    public bool AlwaysShow => true;

    /// <inheritdoc />
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc />
    public int PriorityInCategory => 1;

    /// <inheritdoc />
    public bool IsNumeric => true;

    /// <inheritdoc />
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc />
    public string Legend => "Shopper steps per second (Batch / median time per batch)";

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        double? median = summary[benchmarkCase]?.ResultStatistics?.Median;
        object? batch = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Batch")?.Value;
        return median is > 0 && batch is int rows ? (rows * 1e9 / median.Value).ToString("N0") : "-";
    }

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    /// <inheritdoc />
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc />
    public bool IsAvailable(Summary summary) => true;
}
