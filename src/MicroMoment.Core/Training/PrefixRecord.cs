namespace MicroMoment.Training;

/// <summary>Facts about one session prefix that evaluation needs besides the model input.</summary>
/// <param name="SessionId">The session the prefix belongs to.</param>
/// <param name="Position">0-based index of the prefix's last event.</param>
/// <param name="HasCartSoFar">Whether the prefix already contains an add-to-cart.</param>
/// <param name="RuleScore">The rule-based baseline's buy score for the prefix.</param>
/// <param name="Timestamp">Time of the prefix's last event.</param>
/// <param name="ExitRuleScore">The rule-based baseline's exit score for the prefix.</param>
public readonly record struct PrefixRecord(long SessionId, int Position, bool HasCartSoFar, float RuleScore, DateTime Timestamp, float ExitRuleScore = 0f);
