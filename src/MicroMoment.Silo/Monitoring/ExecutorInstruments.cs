using System.Diagnostics;
using System.Diagnostics.Metrics;
using MicroMoment.Silo.Execution;

namespace MicroMoment.Silo.Monitoring;

/// <summary>The batched model executor's instruments (meter <see cref="SiloMeters.Executor"/>): batches, rows, failures and the step duration.</summary>
internal sealed class ExecutorInstruments
{
    private readonly Histogram<double> _stepDuration;

    /// <summary>Creates the instruments on <paramref name="meter"/> over <paramref name="executor"/>.</summary>
    public ExecutorInstruments(Meter meter, ModelExecutor executor)
    {
        Meter = meter;
        var backend = new KeyValuePair<string, object?>("backend", executor.Backend);
        _stepDuration = SiloMeters.Duration(meter, "micromoment.executor.step.duration", "Time of one batched network step in the executor's backend.", SiloMeters.ShortDurationBounds);
        meter.CreateObservableCounter("micromoment.executor.batches", () => new Measurement<long>(executor.Batches, backend), "{batch}", "Batches the model executor ran (one batched step of many shoppers each).");
        meter.CreateObservableCounter("micromoment.executor.rows", () => new Measurement<long>(executor.Rows, backend), "{row}", "Shoppers stepped over all batches (divided by the batches: the mean batch).");
        meter.CreateObservableCounter("micromoment.executor.failures", () => new Measurement<long>(executor.Failures, backend), "{batch}", "Batches whose backend call failed.");
    }

    /// <summary>The meter.</summary>
    public Meter Meter { get; }

    /// <summary>Records one step of <paramref name="elapsedTicks"/> Stopwatch ticks.</summary>
    public void RecordStep(long elapsedTicks) => _stepDuration.Record(elapsedTicks / (double)Stopwatch.Frequency);
}
