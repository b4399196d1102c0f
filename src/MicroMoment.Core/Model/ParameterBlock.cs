namespace MicroMoment.Model;

/// <summary>One named block of <see cref="AttentionLstm.Parameters"/>: a row-major matrix or vector.</summary>
/// <param name="Name">Block name (e.g. "InputWeights").</param>
/// <param name="Offset">Index of the block's first float in the flat parameter array.</param>
/// <param name="Rows">Rows of the block (1 for vectors).</param>
/// <param name="Columns">Columns of the block (row length).</param>
public readonly record struct ParameterBlock(string Name, int Offset, int Rows, int Columns)
{
    /// <summary>Number of floats in the block.</summary>
    public int Length => Rows * Columns;

    /// <summary>Index one past the block's last float.</summary>
    public int End => Offset + Length;
}
