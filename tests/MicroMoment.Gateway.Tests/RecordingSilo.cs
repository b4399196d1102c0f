using MicroMoment.Events;
using MicroMoment.Scoring;
using MicroMoment.Silo;

namespace MicroMoment.Gateway.Tests;

/// <summary>
/// The real <see cref="EmbeddedSilo"/>, with a record of every event the gateway handed it (so tests can check what
/// reached the silo) and two switches for states a real silo cannot be put in deterministically from a test: a fully
/// saturated silo (every event answered Overloaded), one still restoring (not ready), and an experiments report with
/// counts a test cannot gather in seconds.
/// </summary>
internal sealed class RecordingSilo(EmbeddedSilo inner) : IMicroMomentSilo, ISiloCensus
{
    private readonly Lock _gate = new();
    private readonly List<ClickEvent> _received = [];

    /// <summary>Starts an in-memory embedded silo with the bundled model, on <paramref name="time"/> (null: the system clock).</summary>
    public static async Task<RecordingSilo> StartAsync(SiloOptions? options = null, TimeProvider? time = null) =>
        new(await EmbeddedSilo.StartAsync(BundledModel.Model, options ?? new SiloOptions(), time));

    /// <summary>
    /// Options for tests about offer delivery and feedback: the built-in policy with the exit popup off, so a view then a
    /// cart brings the buy rule's discount. The bundled model's exit head puts most shoppers above its threshold after a
    /// first view (most sessions of the data end after one or two events), which would spend the session's one offer
    /// on the popup.
    /// </summary>
    public static SiloOptions BuyPathOptions => new() { Trigger = new TriggerPolicyOptions { ExitThreshold = 1f } };

    /// <summary>The silo behind.</summary>
    public EmbeddedSilo Inner => inner;

    /// <summary>Every event handed to the silo, in order.</summary>
    public IReadOnlyList<ClickEvent> Received
    {
        get
        {
            lock (_gate) return [.. _received];
        }
    }

    /// <summary>When set, events are answered Overloaded without reaching the silo (a saturated silo).</summary>
    public bool Saturated { get; set; }

    /// <summary>When set, replaces the silo's readiness.</summary>
    public bool? ReadyOverride { get; set; }

    /// <summary>When set, answers <see cref="GetExperimentsAsync"/> instead of the silo.</summary>
    public Func<ExperimentsReport>? ExperimentsOverride { get; set; }

    public MicroMomentModel Model => inner.Model;

    public ValueTask<IReadOnlyList<IngestOutcome>> IngestAsync(IReadOnlyList<ClickEvent> events, CancellationToken cancellationToken = default)
    {
        lock (_gate) _received.AddRange(events);
        if (Saturated) return ValueTask.FromResult<IReadOnlyList<IngestOutcome>>([.. events.Select(_ => new IngestOutcome(IngestStatus.Overloaded, "queue-full"))]);
        return inner.IngestAsync(events, cancellationToken);
    }

    public ValueTask<SessionCensus> CensusAsync(int hottest, CancellationToken cancellationToken = default) => inner.CensusAsync(hottest, cancellationToken);

    public ValueTask<UserView?> GetUserAsync(string tenant, string userId, CancellationToken cancellationToken = default) => inner.GetUserAsync(tenant, userId, cancellationToken);

    public ValueTask<FeedbackOutcome> RecordFeedbackAsync(string offerId, OfferFeedback feedback, DateTime at, CancellationToken cancellationToken = default) =>
        inner.RecordFeedbackAsync(offerId, feedback, at, cancellationToken);

    public ValueTask SetConsentAsync(string tenant, string userId, Consent consent, CancellationToken cancellationToken = default) => inner.SetConsentAsync(tenant, userId, consent, cancellationToken);

    public ValueTask<bool> EraseUserAsync(string tenant, string userId, CancellationToken cancellationToken = default) => inner.EraseUserAsync(tenant, userId, cancellationToken);

    public void Subscribe(IOfferSink sink) => inner.Subscribe(sink);

    public ValueTask<ExperimentsReport> GetExperimentsAsync(CancellationToken cancellationToken = default) =>
        ExperimentsOverride is { } report ? ValueTask.FromResult(report()) : inner.GetExperimentsAsync(cancellationToken);

    public ValueTask WatchAsync(string tenant, string userId, CancellationToken cancellationToken = default) => inner.WatchAsync(tenant, userId, cancellationToken);

    public ValueTask UnwatchAsync(string tenant, string userId, CancellationToken cancellationToken = default) => inner.UnwatchAsync(tenant, userId, cancellationToken);

    public SiloStatistics GetStatistics() => ReadyOverride is { } ready ? inner.GetStatistics() with { Ready = ready } : inner.GetStatistics();

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
