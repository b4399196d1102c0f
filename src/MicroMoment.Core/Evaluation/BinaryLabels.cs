using System.Runtime.InteropServices;

namespace MicroMoment.Evaluation;

/// <summary>Conversions between boolean labels and the byte labels (0/1) every evaluation API takes.</summary>
public static class BinaryLabels
{
    /// <summary>
    /// Views boolean labels as bytes without copying (false = 0, true = 1), so any byte-label API accepts them.
    /// </summary>
    public static ReadOnlySpan<byte> AsBytes(ReadOnlySpan<bool> labels) => MemoryMarshal.Cast<bool, byte>(labels);

    /// <summary>Copies boolean labels into a new byte array (false = 0, true = 1).</summary>
    public static byte[] ToBytes(IEnumerable<bool> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return labels.Select(l => l ? (byte)1 : (byte)0).ToArray();
    }
}
