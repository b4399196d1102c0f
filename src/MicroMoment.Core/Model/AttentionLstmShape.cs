namespace MicroMoment.Model;

/// <summary>
/// Sizes of an <see cref="AttentionLstm"/>: input features per event (D), LSTM hidden units (H) and attention
/// projection units (A). All sizes must be positive.
/// </summary>
/// <param name="InputSize">Features per event (D).</param>
/// <param name="HiddenSize">LSTM hidden units (H).</param>
/// <param name="AttentionSize">Units of the attention projection (A).</param>
public sealed record AttentionLstmShape(int InputSize, int HiddenSize = 64, int AttentionSize = 32)
{
    /// <summary>Largest size accepted for any dimension (keeps every derived length inside an int).</summary>
    public const int MaxDimension = 1 << 14;

    /// <summary>Features per event (D).</summary>
    public int InputSize { get; } = Check(InputSize, nameof(InputSize));

    /// <summary>LSTM hidden units (H).</summary>
    public int HiddenSize { get; } = Check(HiddenSize, nameof(HiddenSize));

    /// <summary>Units of the attention projection (A).</summary>
    public int AttentionSize { get; } = Check(AttentionSize, nameof(AttentionSize));

    private readonly int _parameterCount = CountParameters(InputSize, HiddenSize, AttentionSize);

    /// <summary>Width of the four stacked gates (4H).</summary>
    public int GateSize => 4 * HiddenSize;

    /// <summary>Floats of per-user streaming state: [h (H) | c (H) | a (H) | m | s].</summary>
    public int StateSize => 3 * HiddenSize + 2;

    /// <summary>Total number of trainable parameters.</summary>
    public int ParameterCount => _parameterCount;

    private static int CountParameters(int d, int h, int a)
    {
        long count = 4L * h * (d + h + 1L) + (long)a * (h + 2L) + 2L * (2L * h + 1L);
        if (count > Array.MaxLength)
        {
            throw new ArgumentException(
                $"Shape (InputSize {d}, HiddenSize {h}, AttentionSize {a}) needs {count} parameters; at most {Array.MaxLength} fit in one array.");
        }

        return (int)count;
    }

    private static int Check(int value, string name)
    {
        if (value <= 0 || value > MaxDimension)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between 1 and {MaxDimension}, but was {value}.");
        }

        return value;
    }
}
