using MicroMoment.Events;
using MicroMoment.Gateway.Metrics;
using MicroMoment.Gateway.Wire;
using MicroMoment.Silo;

namespace MicroMoment.Gateway.Ingestion;

/// <summary>
/// Hands parsed events to the silo and answers per event, in order: shopper events go to the silo in one call (so a
/// shopper's events keep their order), tracker signals go to the <see cref="SignalStore"/> (the model never steps on
/// them) unless the shopper opted out of tracking, and rejections are answered as they are. Shared by HTTP and WebSocket.
/// </summary>
internal sealed class EventIngestor(IMicroMomentSilo silo, SignalStore signals, GatewayMetrics metrics)
{
    /// <summary>The silo behind the gateway.</summary>
    public IMicroMomentSilo Silo => silo;

    /// <summary>The recorded tracker signals.</summary>
    public SignalStore Signals => signals;

    /// <summary>Ingests <paramref name="parsed"/> for <paramref name="tenant"/>; the answer has one result per entry, in order.</summary>
    public async ValueTask<EventBatchResponse> IngestAsync(string tenant, List<ParsedEvent> parsed, CancellationToken cancellationToken)
    {
        // A child of the request's span (HTTP) or of the message's span (WebSocket); null unless sampled.
        using var span = MicroMomentActivities.StartChild(MicroMomentActivities.Ingest);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(MicroMomentActivities.TenantTag, tenant);
            span.SetTag(MicroMomentActivities.EventsTag, parsed.Count);
        }

        var results = new EventResultDto[parsed.Count];
        var modelEvents = 0;
        foreach (var p in parsed)
            if (p.Kind == ParsedKind.Event) modelEvents++;
        // The silo takes a ClickEvent[] as is, so the batch is built as one.
        var events = modelEvents > 0 ? new ClickEvent[modelEvents] : null;
        var positions = modelEvents > 0 ? new int[modelEvents] : null;
        List<int>? signalPositions = null;
        var next = 0;
        for (var i = 0; i < parsed.Count; i++)
        {
            var p = parsed[i];
            switch (p.Kind)
            {
                case ParsedKind.Event:
                    events![next] = p.Event;
                    positions![next++] = i;
                    break;
                case ParsedKind.Signal:
                    (signalPositions ??= []).Add(i);
                    break;
                default:
                    results[i] = new EventResultDto(i, p.EventId, "rejected", p.RejectCode, p.RejectDetail);
                    metrics.CountEvent(IngestStatus.Rejected, p.RejectCode);
                    break;
            }
        }

        HashSet<string>? optedOut = null;
        if (events is not null)
        {
            var outcomes = await silo.IngestAsync(events, cancellationToken).ConfigureAwait(false);
            if (outcomes.Count != events.Length)
                throw new InvalidOperationException($"The silo answered {outcomes.Count} outcomes for {events.Length} events; it must answer one per event.");
            var model = silo.Model;
            for (var j = 0; j < outcomes.Count; j++)
            {
                var i = positions![j];
                var outcome = outcomes[j];
                var reason = outcome.Status switch
                {
                    IngestStatus.Overloaded => outcome.Reason ?? "overloaded",
                    IngestStatus.Rejected => outcome.Reason ?? "rejected-by-silo",
                    _ => outcome.Reason,
                };
                results[i] = new EventResultDto(i, parsed[i].EventId, WireMapper.Status(outcome.Status), reason, null,
                    outcome.Score is { } score ? WireMapper.Score(score, model) : null,
                    outcome.Decision is { } decision ? WireMapper.Decision(decision) : null);
                metrics.CountEvent(outcome.Status, reason);
                if (outcome.Status == IngestStatus.OptedOut) (optedOut ??= new HashSet<string>(StringComparer.Ordinal)).Add(parsed[i].UserId!);
            }
        }

        if (signalPositions is not null)
        {
            Dictionary<string, bool>? tracking = null;
            foreach (var i in signalPositions)
            {
                var p = parsed[i];
                var user = p.UserId!;
                tracking ??= new Dictionary<string, bool>(StringComparer.Ordinal);
                if (!tracking.TryGetValue(user, out var allowed))
                {
                    allowed = optedOut?.Contains(user) != true
                        && (await silo.GetUserAsync(tenant, user, cancellationToken).ConfigureAwait(false))?.Consent.Tracking != false;
                    tracking[user] = allowed;
                }
                if (!allowed)
                {
                    results[i] = new EventResultDto(i, p.EventId, "opted_out", "opted-out", Signal: p.SignalName);
                    metrics.CountEvent(IngestStatus.OptedOut, null);
                    continue;
                }
                var e = p.Event;
                signals.Record(tenant, user, new SignalDto(p.SignalName!, double.IsNaN(p.SignalValue) ? null : p.SignalValue, e.Timestamp, e.Context.Page, e.ProductId));
                metrics.CountSignal(p.SignalName!);
                metrics.CountEvent(IngestStatus.Accepted, null);
                results[i] = new EventResultDto(i, p.EventId, "accepted", Signal: p.SignalName);
            }
        }

        int accepted = 0, duplicate = 0, rejected = 0, opted = 0, overloaded = 0;
        foreach (var r in results)
        {
            switch (r.Status)
            {
                case "accepted": accepted++; break;
                case "duplicate": duplicate++; break;
                case "opted_out": opted++; break;
                case "overloaded": overloaded++; break;
                default: rejected++; break;
            }
        }
        return new EventBatchResponse(results.Length, accepted, duplicate, rejected, opted, overloaded, results);
    }
}
