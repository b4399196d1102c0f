using System.Diagnostics;
using OpenTelemetry;

namespace MicroMoment.Benchmarks;

/// <summary>A trace exporter that counts the spans handed to it and drops them: the tracer's cost without a network.</summary>
internal sealed class DiscardingExporter : BaseExporter<Activity>
{
    private long _exported;

    /// <summary>Spans exported so far.</summary>
    public long Exported => Interlocked.Read(ref _exported);

    /// <inheritdoc/>
    public override ExportResult Export(in Batch<Activity> batch)
    {
        Interlocked.Add(ref _exported, batch.Count);
        return ExportResult.Success;
    }
}
