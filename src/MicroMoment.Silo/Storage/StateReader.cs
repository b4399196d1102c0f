using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace MicroMoment.Silo.Storage;

/// <summary>Reads what <see cref="StateWriter"/> wrote; a short or malformed buffer throws <see cref="InvalidDataException"/>.</summary>
internal ref struct StateReader
{
    private readonly ReadOnlySpan<byte> _bytes;
    private int _at;

    /// <summary>Reads from <paramref name="bytes"/>.</summary>
    public StateReader(ReadOnlySpan<byte> bytes)
    {
        _bytes = bytes;
        _at = 0;
    }

    /// <summary>True when every byte was read.</summary>
    public readonly bool AtEnd => _at == _bytes.Length;

    /// <summary>Reads one byte.</summary>
    public byte Byte() => Take(1)[0];

    /// <summary>Reads a boolean.</summary>
    public bool Bool() => Byte() != 0;

    /// <summary>Reads a 32-bit integer.</summary>
    public int Int() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    /// <summary>Reads a 64-bit integer.</summary>
    public long Long() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    /// <summary>Reads an unsigned 64-bit integer.</summary>
    public ulong ULong() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    /// <summary>Reads a float.</summary>
    public float Float() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    /// <summary>Reads floats written by <see cref="StateWriter.Floats"/> into <paramref name="destination"/>, which must have the stored length.</summary>
    public void Floats(Span<float> destination)
    {
        int count = Count(sizeof(float));
        if (count != destination.Length)
            throw new InvalidDataException($"The stored state holds {count} floats where {destination.Length} were expected.");
        Take(count * sizeof(float)).CopyTo(MemoryMarshal.AsBytes(destination));
    }

    /// <summary>Reads a length-prefixed blob.</summary>
    public ReadOnlySpan<byte> Blob() => Take(Count(1));

    /// <summary>Reads a string (null allowed).</summary>
    public string? String()
    {
        int count = Int();
        if (count == -1) return null;
        if (count < 0 || count > _bytes.Length - _at)
            throw new InvalidDataException($"The stored state has a string of {count} bytes at offset {_at - 4}, beyond its {_bytes.Length} bytes.");
        return Encoding.UTF8.GetString(Take(count));
    }

    /// <summary>Reads a non-negative count of items of <paramref name="itemSize"/> bytes that must fit in what is left.</summary>
    public int Count(int itemSize)
    {
        int count = Int();
        if (count < 0 || (long)count * itemSize > _bytes.Length - _at)
            throw new InvalidDataException($"The stored state has a count of {count} at offset {_at - 4} that does not fit its {_bytes.Length} bytes.");
        return count;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _bytes.Length - _at)
            throw new InvalidDataException($"The stored state ends at {_bytes.Length} bytes; {count} more were expected at offset {_at}.");
        var slice = _bytes.Slice(_at, count);
        _at += count;
        return slice;
    }
}
