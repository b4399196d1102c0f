using MicroMoment.Model;

namespace MicroMoment.Onnx;

/// <summary>
/// The contract of the exported streaming step: ONNX IR version <see cref="IrVersion"/>, default-domain operator set
/// <see cref="OpsetVersion"/>, inputs x [B, D], h, c [B, H], m, s [B], a [B, H] and outputs their new values plus the
/// buy and exit logits and the attention score e_t, all float32 with a dynamic batch dimension named
/// <see cref="BatchDimension"/>. One call advances every row by one event, exactly as <see cref="AttentionLstm.Step"/>.
/// </summary>
public static class StepGraph
{
    /// <summary>ONNX IR version of the file (8: ONNX 1.10+, ONNX Runtime 1.10+).</summary>
    public const long IrVersion = 8;

    /// <summary>Version of the default ("ai.onnx") operator set the graph imports (17: ONNX 1.12+, ONNX Runtime 1.12+).</summary>
    public const long OpsetVersion = 17;

    /// <summary>Name of the dynamic batch dimension.</summary>
    public const string BatchDimension = "batch";

    /// <summary>The producer name written into the file.</summary>
    public const string ProducerName = "micromoment";

    /// <summary>The graph's name.</summary>
    public const string GraphName = "micromoment_attention_lstm_step";

    /// <summary>Encoded features of the event, [B, D].</summary>
    public const string X = "x";

    /// <summary>LSTM hidden state before the event, [B, H].</summary>
    public const string H = "h";

    /// <summary>LSTM cell state before the event, [B, H].</summary>
    public const string C = "c";

    /// <summary>Running maximum of the attention scores, [B] (−∞ before the first event).</summary>
    public const string M = "m";

    /// <summary>Running softmax denominator Σ exp(e_i − m), [B].</summary>
    public const string S = "s";

    /// <summary>Running softmax numerator Σ exp(e_i − m) h_i, [B, H].</summary>
    public const string A = "a";

    /// <summary>New hidden state, [B, H].</summary>
    public const string HNext = "h_next";

    /// <summary>New cell state, [B, H].</summary>
    public const string CNext = "c_next";

    /// <summary>New running maximum, [B].</summary>
    public const string MNext = "m_next";

    /// <summary>New softmax denominator, [B].</summary>
    public const string SNext = "s_next";

    /// <summary>New softmax numerator, [B, H].</summary>
    public const string ANext = "a_next";

    /// <summary>Buy-head logit, [B].</summary>
    public const string BuyLogit = "buy_logit";

    /// <summary>Exit-head logit, [B].</summary>
    public const string ExitLogit = "exit_logit";

    /// <summary>The event's raw attention score e_t, [B].</summary>
    public const string AttentionScore = "attention_score";

    /// <summary>Graph inputs in order with their shapes for a model of <paramref name="shape"/> (−1: the batch).</summary>
    public static IReadOnlyList<GraphValue> Inputs(AttentionLstmShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int d = shape.InputSize, h = shape.HiddenSize;
        return [new(X, [-1, d]), new(H, [-1, h]), new(C, [-1, h]), new(M, [-1]), new(S, [-1]), new(A, [-1, h])];
    }

    /// <summary>Graph outputs in order with their shapes for a model of <paramref name="shape"/> (−1: the batch).</summary>
    public static IReadOnlyList<GraphValue> Outputs(AttentionLstmShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int h = shape.HiddenSize;
        return
        [
            new(HNext, [-1, h]), new(CNext, [-1, h]), new(MNext, [-1]), new(SNext, [-1]), new(ANext, [-1, h]),
            new(BuyLogit, [-1]), new(ExitLogit, [-1]), new(AttentionScore, [-1]),
        ];
    }
}
