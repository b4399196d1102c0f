namespace MicroMoment.Model;

/// <summary>
/// Result of one streaming step. <see cref="AttentionScore"/> is the raw attention score e_t of the event just
/// consumed; its weight within the session so far is softmax over all scores seen, so callers can compare or
/// re-normalise scores of past events without re-running the model.
/// </summary>
/// <param name="BuyLogit">Logit of the buy head (apply a sigmoid for the probability).</param>
/// <param name="ExitLogit">Logit of the exit head.</param>
/// <param name="AttentionScore">Unnormalised attention score e_t = vᵀ tanh(Wa h_t + ba).</param>
public readonly record struct StepOutput(float BuyLogit, float ExitLogit, float AttentionScore);
