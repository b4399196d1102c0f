namespace MicroMoment.Silo.Execution;

/// <summary>
/// Runs one streaming step of the attention-LSTM for a batch of shoppers: <c>inputs</c> is B × D row-major,
/// <c>states</c> B × S (updated in place), and each output span has length B. A backend serves one call at a
/// time (the executor is its only caller) and allocates nothing per call.
/// </summary>
public interface IStepBackend : IDisposable
{
    /// <summary>The backend's name as the silo option spells it (e.g. "simd").</summary>
    string Name { get; }

    /// <summary>Features per event (D).</summary>
    int InputSize { get; }

    /// <summary>Floats of state per shopper (S).</summary>
    int StateSize { get; }

    /// <summary>Most rows one call may carry.</summary>
    int MaxBatch { get; }

    /// <summary>Steps every row of the batch.</summary>
    void Step(ReadOnlySpan<float> inputs, Span<float> states, Span<float> buyLogits, Span<float> exitLogits, Span<float> attentionScores);
}
