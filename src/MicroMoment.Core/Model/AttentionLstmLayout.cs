namespace MicroMoment.Model;

/// <summary>
/// Layout of the flat parameter array of an <see cref="AttentionLstm"/>. Blocks follow each other in this order,
/// all row-major (D = input size, H = hidden size, A = attention size; gate order is i, f, g, o):
/// <list type="number">
/// <item><description><see cref="InputWeights"/> Wx: 4H × D (rows 0..H-1 input gate, H..2H-1 forget, 2H..3H-1 cell candidate, 3H..4H-1 output).</description></item>
/// <item><description><see cref="RecurrentWeights"/> Wh: 4H × H, same gate order.</description></item>
/// <item><description><see cref="GateBias"/> b: 4H.</description></item>
/// <item><description><see cref="AttentionProjection"/> Wa: A × H.</description></item>
/// <item><description><see cref="AttentionBias"/> ba: A.</description></item>
/// <item><description><see cref="AttentionVector"/> v: A.</description></item>
/// <item><description><see cref="BuyHeadWeights"/> w_buy: 2H, first H act on the attention context, last H on h_t.</description></item>
/// <item><description><see cref="BuyHeadBias"/> b_buy: 1.</description></item>
/// <item><description><see cref="ExitHeadWeights"/> w_exit: 2H, same split.</description></item>
/// <item><description><see cref="ExitHeadBias"/> b_exit: 1.</description></item>
/// </list>
/// </summary>
public sealed class AttentionLstmLayout
{
    /// <summary>Computes the layout for <paramref name="shape"/>.</summary>
    public AttentionLstmLayout(AttentionLstmShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int d = shape.InputSize, h = shape.HiddenSize, a = shape.AttentionSize, g = shape.GateSize;
        int offset = 0;
        ParameterBlock Next(string name, int rows, int columns)
        {
            var block = new ParameterBlock(name, offset, rows, columns);
            offset += block.Length;
            return block;
        }

        InputWeights = Next(nameof(InputWeights), g, d);
        RecurrentWeights = Next(nameof(RecurrentWeights), g, h);
        GateBias = Next(nameof(GateBias), 1, g);
        AttentionProjection = Next(nameof(AttentionProjection), a, h);
        AttentionBias = Next(nameof(AttentionBias), 1, a);
        AttentionVector = Next(nameof(AttentionVector), 1, a);
        BuyHeadWeights = Next(nameof(BuyHeadWeights), 1, 2 * h);
        BuyHeadBias = Next(nameof(BuyHeadBias), 1, 1);
        ExitHeadWeights = Next(nameof(ExitHeadWeights), 1, 2 * h);
        ExitHeadBias = Next(nameof(ExitHeadBias), 1, 1);
        Count = offset;
        Blocks =
        [
            InputWeights, RecurrentWeights, GateBias, AttentionProjection, AttentionBias, AttentionVector,
            BuyHeadWeights, BuyHeadBias, ExitHeadWeights, ExitHeadBias,
        ];
    }

    /// <summary>Wx, 4H × D.</summary>
    public ParameterBlock InputWeights { get; }

    /// <summary>Wh, 4H × H.</summary>
    public ParameterBlock RecurrentWeights { get; }

    /// <summary>b, 4H.</summary>
    public ParameterBlock GateBias { get; }

    /// <summary>Wa, A × H.</summary>
    public ParameterBlock AttentionProjection { get; }

    /// <summary>ba, A.</summary>
    public ParameterBlock AttentionBias { get; }

    /// <summary>v, A.</summary>
    public ParameterBlock AttentionVector { get; }

    /// <summary>w_buy, 2H ([context ; h]).</summary>
    public ParameterBlock BuyHeadWeights { get; }

    /// <summary>b_buy, 1.</summary>
    public ParameterBlock BuyHeadBias { get; }

    /// <summary>w_exit, 2H ([context ; h]).</summary>
    public ParameterBlock ExitHeadWeights { get; }

    /// <summary>b_exit, 1.</summary>
    public ParameterBlock ExitHeadBias { get; }

    /// <summary>All blocks in storage order.</summary>
    public IReadOnlyList<ParameterBlock> Blocks { get; }

    /// <summary>Total number of floats (equals <see cref="AttentionLstmShape.ParameterCount"/>).</summary>
    public int Count { get; }
}
