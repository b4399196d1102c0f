using System.Runtime.CompilerServices;

namespace MicroMoment.Numerics;

/// <summary>Checks of the row-major n × d float blocks that clustering, projection and scaling take as input.</summary>
internal static class RowBlock
{
    /// <summary>
    /// The number of rows of <paramref name="data"/>, a non-empty row-major block of rows of <paramref name="d"/> floats;
    /// throws, naming the caller's arguments, when <paramref name="d"/> is not positive or the block is empty or ends
    /// in a partial row.
    /// </summary>
    public static int CountRows(
        ReadOnlySpan<float> data,
        int d,
        [CallerArgumentExpression(nameof(data))] string dataName = "",
        [CallerArgumentExpression(nameof(d))] string dimensionName = "")
    {
        if (d <= 0) throw new ArgumentOutOfRangeException(dimensionName, d, "The dimension must be positive.");
        if (data.Length == 0 || data.Length % d != 0)
            throw new ArgumentException($"Expected a non-empty row-major block of n x {d} floats; got {data.Length} floats.", dataName);
        return data.Length / d;
    }
}
