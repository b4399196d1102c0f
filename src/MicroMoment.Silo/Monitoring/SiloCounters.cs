using MicroMoment.Silo.Grains;

namespace MicroMoment.Silo.Monitoring;

/// <summary>The silo's counters, incremented atomically from callers and workers.</summary>
internal sealed class SiloCounters
{
    /// <summary>Events per <see cref="IngestStatus"/>.</summary>
    public readonly long[] Status = new long[Enum.GetValues<IngestStatus>().Length];

    /// <summary>Dropped events per <see cref="DropReason"/>.</summary>
    public readonly long[] Drops = new long[DropReasons.Count];

    /// <summary>Suppressed decisions per suppression reason.</summary>
    public readonly long[] Suppressions = new long[Grains.TriggerPolicy.AllReasonCodes.Count];

    /// <summary>Feedback answers per <see cref="FeedbackOutcome"/>.</summary>
    public readonly long[] Feedback = new long[Enum.GetValues<FeedbackOutcome>().Length];

    /// <summary>Offers fired.</summary>
    public long OffersFired;

    /// <summary>Proposals that expired unconfirmed.</summary>
    public long OffersExpired;

    /// <summary>Offers converted by a purchase in their session.</summary>
    public long OffersAttributed;

    /// <summary>Sessions seen closed (next event started a new one, or idle deactivation).</summary>
    public long SessionsClosed;

    /// <summary>Closed sessions without a purchase.</summary>
    public long SessionsClosedWithoutPurchase;

    /// <summary>Closed sessions that received at least one offer.</summary>
    public long OfferedSessionsClosed;

    /// <summary>Closed sessions that received an offer and ended without a purchase.</summary>
    public long OfferedSessionsWithoutPurchase;

    /// <summary>Offers in closed sessions that received at least one.</summary>
    public long OffersInClosedSessions;

    /// <summary>Records one closed session.</summary>
    public void CloseSession(int offers, bool purchased)
    {
        Interlocked.Increment(ref SessionsClosed);
        if (!purchased) Interlocked.Increment(ref SessionsClosedWithoutPurchase);
        if (offers == 0) return;
        Interlocked.Increment(ref OfferedSessionsClosed);
        Interlocked.Add(ref OffersInClosedSessions, offers);
        if (!purchased) Interlocked.Increment(ref OfferedSessionsWithoutPurchase);
    }

    /// <summary>User grains activated on this silo.</summary>
    public long Activations;

    /// <summary>User grains deactivated on this silo (idle collection, shutdown, erasure).</summary>
    public long Deactivations;

    /// <summary>Grain states written to storage.</summary>
    public long WritesCommitted;

    /// <summary>Grain state writes that failed (the grain keeps its state and tries again).</summary>
    public long WriteFailures;

    /// <summary>Stored states that could not be read and were replaced by a fresh grain.</summary>
    public long CorruptStates;

    /// <summary>Stored sessions dropped because they were saved under another model.</summary>
    public long SessionsDroppedOnModelChange;

    /// <summary>Events whose time zone id was not a known zone (ignored; daily caps keep the shopper's previous or the policy's zone).</summary>
    public long UnknownTimeZones;

    /// <summary>Counts one event outcome.</summary>
    public void Count(DropReason reason)
    {
        Interlocked.Increment(ref Drops[(int)reason]);
        Interlocked.Increment(ref Status[(int)DropReasons.StatusOf(reason)]);
    }

    /// <summary>Counts <paramref name="n"/> event outcomes for one reason.</summary>
    public void Count(DropReason reason, int n)
    {
        Interlocked.Add(ref Drops[(int)reason], n);
        Interlocked.Add(ref Status[(int)DropReasons.StatusOf(reason)], n);
    }
}
