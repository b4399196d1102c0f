using MicroMoment.Events;
using MicroMoment.Features;
using MicroMoment.Model;
using MicroMoment.Sessions;

namespace MicroMoment.Training;

/// <summary>
/// Turns sessions into prefix examples with labels that never see the future. After event t and before
/// the session's first purchase: buy = a purchase happens later in the session; from the first purchase
/// on, prefixes are not buy examples. Exit = no further event in the session (unknown for the last event
/// of a session cut off by the end of the log). Features come from <see cref="FeaturePipeline.Step"/>,
/// the same call the live scorer makes.
/// </summary>
public static class ExampleBuilder
{
    /// <summary>Encodes every session; the result is in the order of <paramref name="sessions"/>.</summary>
    public static SessionExamples[] Build(FeaturePipeline pipeline, IReadOnlyList<Session> sessions, CensoringPolicy censoring, int degreeOfParallelism = 2)
    {
        var result = new SessionExamples[sessions.Count];
        Parallel.For(0, sessions.Count, new ParallelOptions { MaxDegreeOfParallelism = degreeOfParallelism },
            i => result[i] = Build(pipeline, sessions[i], censoring));
        return result;
    }

    /// <summary>Encodes one session.</summary>
    public static SessionExamples Build(FeaturePipeline pipeline, Session session, CensoringPolicy censoring)
    {
        var events = session.Events;
        var length = events.Length;
        var dimension = pipeline.InputDimension;
        var inputs = new float[length * dimension];
        var buy = new float[length];
        var exit = new float[length];
        var prefixes = new PrefixRecord[length];
        var state = default(SessionFeatureState);
        state.Reset();
        for (var t = 0; t < length; t++)
        {
            var revisit = events[t].ProductId != 0 && state.RecentOccurrences(events[t].ProductId) > 0;
            pipeline.Step(ref state, events[t], inputs.AsSpan(t * dimension, dimension), out _);
            buy[t] = PrefixLabels.Buy(session, t, censoring);
            exit[t] = PrefixLabels.Exit(session, t);
            prefixes[t] = new PrefixRecord(session.Id, t, state.HasCart, RuleBaseline.Score(state), events[t].Timestamp, RuleBaseline.ExitScore(state, revisit));
        }
        return new SessionExamples(session, new SequenceExample(inputs, length, buy, exit, session.Id), prefixes);
    }
}
