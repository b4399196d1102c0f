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
internal sealed class RecordingSilo(EmbeddedSilo inner) : IMicroMomentSilo, ISiloCensus, MicroMoment.Silo.Monitoring.ISiloMeterScope
{
    private readonly Lock _gate = new();
    private readonly List<ClickEvent> _received = [];
    private readonly List<long> _arrivals = [];

    /// <summary>Starts an in-memory embedded silo with the bundled model, on <paramref name="time"/> (null: the system clock).</summary>
    public static async Task<RecordingSilo> StartAsync(SiloOptions? options = null, TimeProvider? time = null) =>
        new(await EmbeddedSilo.StartAsync(BundledModel.Model, options ?? new SiloOptions(), time));

    /// <summary>
    /// Options for tests about offer delivery and feedback: the policy file Policies/buy-path.yaml, whose one rule (buy
    /// intent with a cart, threshold 1e-6, one offer per session) leaves a view without an offer and answers an
    /// add-to-cart with a discount. The outcome depends on no model weight or threshold (the bundled model's exit head
    /// would put most first views above its threshold and spend the session's offer on a popup), nor on the hour.
    /// </summary>
    public static SiloOptions BuyPathOptions => new() { PolicyPath = BuyPathPolicy };

    /// <summary>The path of the buy-path policy file (copied beside the test assembly).</summary>
    public static string BuyPathPolicy => Path.Combine(AppContext.BaseDirectory, "Policies", "buy-path.yaml");

    /// <summary>The silo behind.</summary>
    public EmbeddedSilo Inner => inner;

    public object? MeterScope => inner.MeterScope;

    /// <summary>Every event handed to the silo, in order.</summary>
    public IReadOnlyList<ClickEvent> Received
    {
        get
        {
            lock (_gate) return [.. _received];
        }
    }

    /// <summary>Every event handed to the silo with when it was handed over (a <see cref="System.Diagnostics.Stopwatch"/> timestamp), in order.</summary>
    public IReadOnlyList<(ClickEvent Event, long At)> Arrivals
    {
        get
        {
            lock (_gate) return [.. _received.Zip(_arrivals)];
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
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        lock (_gate)
        {
            _received.AddRange(events);
            for (var i = 0; i < events.Count; i++) _arrivals.Add(now);
        }
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
