using System.Diagnostics;
using MicroMoment.Events;
using MicroMoment.Scoring;
using MicroMoment.Silo;

namespace MicroMoment.Cli.Simulation;

/// <summary>
/// Replays a log through an in-process <see cref="EmbeddedSilo"/> — the same user grains, model and trigger engine as
/// <c>serve</c>, with no gateway and no storage — and records every decision into <see cref="SessionOutcomes"/>.
/// </summary>
/// <remarks>
/// Events go in event-time order in chunks; a shopper's events are applied in that order (the silo keeps submission
/// order per partition), so each grain sees exactly what a live replay of the same log would send it. The gates run on
/// event time as they do live. The silo's own clock is the wall clock, as in a replay at full speed, and no grain is
/// deactivated (idle timeout of ten years, activation cap at least the number of events): every shopper's trigger state
/// (caps, cooldowns, experiment arm) lives for the whole run, as it would live in a silo with storage. Nothing is
/// written to disk.
/// </remarks>
internal static class PolicySimulator
{
    private const int ChunkSize = 4_096;
    private const int InFlight = 4;

    /// <summary>Simulates <paramref name="policyPath"/> over <paramref name="events"/> (ordered, with ids, as <c>ReplayLog.ReadOrdered</c> gives them).</summary>
    /// <param name="model">The model.</param>
    /// <param name="policyPath">The policy file.</param>
    /// <param name="events">The log in event-time order.</param>
    /// <param name="tenant">The tenant the events belong to (experiment arms hash it with the user).</param>
    /// <param name="progress">Receives the number of events answered.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <exception cref="Silo.Triggers.PolicyException">The policy file is invalid (the message names the field).</exception>
    public static async Task<SimulationRun> RunAsync(MicroMomentModel model, string policyPath, IReadOnlyList<ClickEvent> events, string tenant,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var options = new SiloOptions
        {
            PolicyPath = policyPath,
            QueueCapacity = ChunkSize * InFlight,
            BatchSize = 512,
            // No storage behind this silo: a deactivated grain would forget its caps and cooldowns, so none is.
            IdleTimeout = TimeSpan.FromDays(3650),
        };
        var outcomes = new SessionOutcomes(model.SessionTimeout);
        var statuses = new Dictionary<IngestStatus, long>();
        var clock = Stopwatch.StartNew();
        await using var silo = await EmbeddedSilo.StartAsync(model, options, cancellationToken: cancellationToken).ConfigureAwait(false);
        var policy = silo.PolicyStatus;
        var pending = new Queue<(int Start, ClickEvent[] Chunk, ValueTask<IReadOnlyList<IngestOutcome>> Answer)>();
        long answered = 0;
        for (int start = 0; start < events.Count || pending.Count > 0;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (start < events.Count && pending.Count < InFlight)
            {
                int n = Math.Min(ChunkSize, events.Count - start);
                var chunk = new ClickEvent[n];
                for (int i = 0; i < n; i++) chunk[i] = ToSilo(events[start + i], tenant);
                pending.Enqueue((start, chunk, silo.IngestAsync(chunk, cancellationToken)));
                start += n;
                continue;
            }

            var (_, sent, answer) = pending.Dequeue();
            var results = await answer.ConfigureAwait(false);
            for (int i = 0; i < sent.Length; i++)
            {
                var r = results[i];
                statuses[r.Status] = statuses.GetValueOrDefault(r.Status) + 1;
                if (r.Status == IngestStatus.Overloaded)
                    throw new InvalidOperationException($"The simulation's silo refused event {sent[i].EventId} as overloaded ({r.Reason}); its queues are sized for the chunks in flight, so this is a defect.");
                if (r.Status != IngestStatus.Accepted || r.Score is not { } score) continue;
                var decision = r.Decision;
                outcomes.Observe(new ObservedDecision(sent[i].UserId, sent[i].Timestamp, sent[i].Type == EventType.Purchase, score.NewSession,
                    score.BuyProbability, score.ExitProbability, score.Cluster, decision?.Fired == true, decision?.SuppressedBecause));
            }
            answered += sent.Length;
            progress?.Report(answered);
        }

        var after = silo.PolicyStatus;
        clock.Stop();
        return new SimulationRun(policy.Version, after.Version, outcomes, statuses, clock.Elapsed);
    }

    /// <summary>The event as the gateway hands a wire event to the silo: tenant from the key, no source session or raw type.</summary>
    internal static ClickEvent ToSilo(in ClickEvent e, string tenant) =>
        e with { Tenant = tenant, Timestamp = DateTime.SpecifyKind(e.Timestamp, DateTimeKind.Utc), RawType = null, SourceSession = null };
}

/// <summary>One simulation run.</summary>
/// <param name="PolicyVersion">The policy version the run started with.</param>
/// <param name="PolicyVersionAtEnd">The version at the end (differs only if the file was changed during the run).</param>
/// <param name="Outcomes">Every decision, by session.</param>
/// <param name="Statuses">Events per silo answer.</param>
/// <param name="Elapsed">Wall time, start of the silo included.</param>
internal sealed record SimulationRun(string PolicyVersion, string PolicyVersionAtEnd, SessionOutcomes Outcomes, IReadOnlyDictionary<IngestStatus, long> Statuses, TimeSpan Elapsed)
{
    /// <summary>Events per second of wall time.</summary>
    public double EventsPerSecond => Elapsed > TimeSpan.Zero ? Outcomes.Events / Elapsed.TotalSeconds : double.NaN;
}
