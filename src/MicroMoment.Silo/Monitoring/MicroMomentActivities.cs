using System.Diagnostics;

namespace MicroMoment.Silo;

/// <summary>
/// The one <see cref="ActivitySource"/> of MicroMoment's own spans (gateway ingest and stream messages, user grain
/// events, executor batches, trigger decisions, offer delivery), with the span and attribute names. With no listener
/// (tracing off) every <c>StartActivity</c> returns null and nothing is allocated.
/// </summary>
public static class MicroMomentActivities
{
    /// <summary>The source name to subscribe to (<c>AddSource("MicroMoment")</c>).</summary>
    public const string SourceName = "MicroMoment";

    /// <summary>Gateway: one ingest call (an HTTP request's or a stream message's events), child of the request span.</summary>
    public const string Ingest = "micromoment.ingest";

    /// <summary>Gateway: one WebSocket message on /v1/stream (a root span linked to the connection's upgrade request).</summary>
    public const string StreamMessage = "micromoment.stream.message";

    /// <summary>User grain: one event of an ingest call (admission, model step, scoring, decision).</summary>
    public const string UserEvent = "micromoment.user.event";

    /// <summary>User grain: waiting for the event's row of an executor batch.</summary>
    public const string ModelStep = "micromoment.model.step";

    /// <summary>Executor: one batch of many grains' rows, child of its first sampled step and linked to the others.</summary>
    public const string ExecutorBatch = "micromoment.executor.batch";

    /// <summary>Trigger grain: one decision (rules evaluated, offer fired or suppressed).</summary>
    public const string TriggerDecide = "micromoment.trigger.decide";

    /// <summary>Offer observer: a fired offer handed to the gateway's connections.</summary>
    public const string OfferDeliver = "micromoment.offer.deliver";

    /// <summary>Attribute: the address of the silo the span ran on.</summary>
    public const string SiloTag = "micromoment.silo";

    /// <summary>Attribute: the tenant.</summary>
    public const string TenantTag = "micromoment.tenant";

    /// <summary>Attribute: the event's type (view, cart, purchase, remove).</summary>
    public const string EventTypeTag = "micromoment.event.type";

    /// <summary>Attribute: how many events a span covers.</summary>
    public const string EventsTag = "micromoment.events";

    /// <summary>Attribute: the outcome (an ingest status, or a decision's "offer" / suppression reason).</summary>
    public const string OutcomeTag = "micromoment.outcome";

    /// <summary>Attribute: rows in an executor batch.</summary>
    public const string BatchRowsTag = "micromoment.batch.rows";

    /// <summary>Attribute on a model step: the span id of the executor batch that ran its row.</summary>
    public const string BatchSpanTag = "micromoment.batch.span_id";

    /// <summary>Attribute: the fired offer's id.</summary>
    public const string OfferTag = "micromoment.offer.id";

    /// <summary>Attribute: connections an offer was queued on.</summary>
    public const string ConnectionsTag = "micromoment.offer.connections";

    /// <summary>The source.</summary>
    public static ActivitySource Source { get; } = new(SourceName, typeof(MicroMomentActivities).Assembly.GetName().Version?.ToString());

    /// <summary>
    /// Starts a span under the current one only when that one is recorded (sampled). Under the parent-based sampler a
    /// child of an unsampled span is never recorded, so it is not made at all: the unsampled events of a traced process
    /// make no span objects of ours (the not-sampled decision still travels on the parent to other silos).
    /// </summary>
    public static Activity? StartChild(string name) => Activity.Current is { Recorded: true } ? Source.StartActivity(name) : null;
}
