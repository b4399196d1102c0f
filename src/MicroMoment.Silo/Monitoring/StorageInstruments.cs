using System.Diagnostics.Metrics;

namespace MicroMoment.Silo.Monitoring;

/// <summary>Grain storage's instruments (meter <see cref="SiloMeters.Storage"/>): writes, failures, damaged states and changes not yet written.</summary>
internal sealed class StorageInstruments
{
    /// <summary>Creates the instruments on <paramref name="meter"/> over <paramref name="context"/>.</summary>
    public StorageInstruments(Meter meter, SiloContext context)
    {
        Meter = meter;
        var c = context.Counters;
        meter.CreateObservableCounter("micromoment.storage.writes", () => Volatile.Read(ref c.WritesCommitted), "{write}", "Grain state writes (and clears) committed to storage.");
        meter.CreateObservableCounter("micromoment.storage.write.failures", () => Volatile.Read(ref c.WriteFailures), "{write}", "Grain state writes that failed (the grains keep their changes and try again).");
        meter.CreateObservableCounter("micromoment.storage.corrupt_states", () => Volatile.Read(ref c.CorruptStates), "{state}", "Stored states that could not be read and were replaced by a fresh grain.");
        meter.CreateObservableCounter("micromoment.storage.sessions.dropped", () => Volatile.Read(ref c.SessionsDroppedOnModelChange), "{session}", "Stored sessions dropped because they were saved under another model.");
        meter.CreateObservableUpDownCounter("micromoment.storage.pending_writes", () =>
        {
            long unwritten = 0;
            foreach (var grain in context.Shoppers.Grains) unwritten += grain.UnwrittenChanges;
            return unwritten;
        }, "{change}", "Grain changes not yet written to storage (written at the next checkpoint; what a crash would lose at checkpoint durability).");
    }

    /// <summary>The meter.</summary>
    public Meter Meter { get; }
}
