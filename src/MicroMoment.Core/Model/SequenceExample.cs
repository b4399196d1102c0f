namespace MicroMoment.Model;

/// <summary>
/// One training sequence (a session): <see cref="Length"/> events of <see cref="InputSize"/> features each, and
/// per-event targets for both heads. A target is 1 (positive), 0 (negative) or NaN (no example at this event);
/// values strictly between 0 and 1 are accepted as soft labels.
/// </summary>
public sealed class SequenceExample
{
    /// <summary>Validates and wraps the arrays (not copied).</summary>
    /// <param name="inputs">Length × D features, row-major, all finite.</param>
    /// <param name="length">Number of events (at least 1).</param>
    /// <param name="buyTargets">Length buy targets (0, 1 or NaN).</param>
    /// <param name="exitTargets">Length exit targets (0, 1 or NaN).</param>
    /// <param name="key">Session id, used to keep a session's examples in one split.</param>
    public SequenceExample(float[] inputs, int length, float[] buyTargets, float[] exitTargets, long key = 0)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(buyTargets);
        ArgumentNullException.ThrowIfNull(exitTargets);
        if (length <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "A sequence needs at least 1 event.");
        }

        if (inputs.Length == 0 || inputs.Length % length != 0)
        {
            throw new ArgumentException(
                $"Expected inputs of length × InputSize floats with length = {length}, but got {inputs.Length}, which is not a positive multiple of {length}.",
                nameof(inputs));
        }

        CheckTargets(buyTargets, length, nameof(buyTargets));
        CheckTargets(exitTargets, length, nameof(exitTargets));
        for (int i = 0; i < inputs.Length; i++)
        {
            if (!float.IsFinite(inputs[i]))
            {
                throw new ArgumentException(
                    $"Input feature {i % (inputs.Length / length)} of event {i / (inputs.Length / length)} is {inputs[i]}; features must be finite.",
                    nameof(inputs));
            }
        }

        Inputs = inputs;
        Length = length;
        BuyTargets = buyTargets;
        ExitTargets = exitTargets;
        Key = key;
    }

    /// <summary>Length × D features, row-major.</summary>
    public float[] Inputs { get; }

    /// <summary>Number of events.</summary>
    public int Length { get; }

    /// <summary>Features per event (D).</summary>
    public int InputSize => Inputs.Length / Length;

    /// <summary>Per-event buy targets (0, 1 or NaN = no example).</summary>
    public float[] BuyTargets { get; }

    /// <summary>Per-event exit targets (0, 1 or NaN = no example).</summary>
    public float[] ExitTargets { get; }

    /// <summary>Session id for grouping.</summary>
    public long Key { get; }

    private static void CheckTargets(float[] targets, int length, string name)
    {
        if (targets.Length != length)
        {
            throw new ArgumentException($"Expected {length} targets (one per event), but got {targets.Length}.", name);
        }

        for (int t = 0; t < targets.Length; t++)
        {
            float y = targets[t];
            if (!float.IsNaN(y) && !(y >= 0f && y <= 1f))
            {
                throw new ArgumentException($"Target of event {t} is {y}; expected 0, 1 or NaN (no example).", name);
            }
        }
    }
}
