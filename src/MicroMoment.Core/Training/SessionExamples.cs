using MicroMoment.Model;
using MicroMoment.Sessions;

namespace MicroMoment.Training;

/// <summary>The encoded examples of one session: model inputs, targets, and per-prefix facts.</summary>
/// <param name="Session">The source session.</param>
/// <param name="Sequence">Model inputs and per-prefix buy/exit targets (NaN where a prefix is no example).</param>
/// <param name="Prefixes">One record per event (prefix) of the session.</param>
public sealed record SessionExamples(Session Session, SequenceExample Sequence, PrefixRecord[] Prefixes);
