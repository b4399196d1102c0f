using MicroMoment.Grains;
using MicroMoment.Silo.Placement;
using Orleans.Runtime;

namespace MicroMoment.Silo.Grains;

/// <summary>
/// A silo's report (see <see cref="ISiloReportGrain"/>): pinned to the silo its key names, it reads that silo's counters.
/// Nothing stored; the activation goes idle with Orleans' default collection age when no dashboard asks.
/// </summary>
[SiloPinnedPlacement]
internal sealed class SiloReportGrain(SiloContext context, ILocalSiloDetails local) : Grain, ISiloReportGrain
{
    /// <inheritdoc/>
    public Task<SiloReport> GetAsync()
    {
        var c = context.Counters;
        long handled = 0;
        for (int i = 0; i < c.Status.Length; i++) handled += Volatile.Read(ref c.Status[i]);
        long accepted = Volatile.Read(ref c.Status[(int)IngestStatus.Accepted]);
        long users = Math.Max(0, Volatile.Read(ref c.Activations) - Volatile.Read(ref c.Deactivations));
        return Task.FromResult(new SiloReport(local.SiloAddress.ToParsableString(), handled, accepted, users, context.Clock.GetUtcNow().UtcDateTime));
    }
}
