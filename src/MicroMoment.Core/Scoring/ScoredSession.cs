using MicroMoment.Sessions;

namespace MicroMoment.Scoring;

/// <summary>A session with the score the streaming scorer gave after each of its events.</summary>
/// <param name="Session">The session.</param>
/// <param name="Scores">One score per event, in order.</param>
/// <param name="HasCartSoFar">Whether the prefix ending at each event contains an add-to-cart.</param>
public sealed record ScoredSession(Session Session, EventScore[] Scores, bool[] HasCartSoFar);
