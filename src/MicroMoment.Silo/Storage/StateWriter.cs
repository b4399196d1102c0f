using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace MicroMoment.Silo.Storage;

/// <summary>Little-endian writer of a grain's persisted bytes (a growable buffer; not thread-safe).</summary>
internal sealed class StateWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    /// <summary>Creates a writer with room for <paramref name="initialCapacity"/> bytes.</summary>
    public StateWriter(int initialCapacity = 2048) => _buffer = new ArrayBufferWriter<byte>(initialCapacity);

    /// <summary>Bytes written so far.</summary>
    public int Length => _buffer.WrittenCount;

    /// <summary>Forgets what was written (keeps the buffer).</summary>
    public void Clear() => _buffer.ResetWrittenCount();

    /// <summary>A copy of the bytes written.</summary>
    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    /// <summary>Writes one byte.</summary>
    public void Byte(byte value) => Write(value);

    /// <summary>Writes a boolean as one byte.</summary>
    public void Bool(bool value) => Write(value ? (byte)1 : (byte)0);

    /// <summary>Writes a 32-bit integer.</summary>
    public void Int(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    /// <summary>Writes a 64-bit integer.</summary>
    public void Long(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    /// <summary>Writes an unsigned 64-bit integer.</summary>
    public void ULong(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    /// <summary>Writes a float.</summary>
    public void Float(float value)
    {
        BinaryPrimitives.WriteSingleLittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    /// <summary>Writes floats: count, then values.</summary>
    public void Floats(ReadOnlySpan<float> values)
    {
        Int(values.Length);
        Bytes(MemoryMarshal.AsBytes(values));
    }

    /// <summary>Writes raw bytes with their length.</summary>
    public void Blob(ReadOnlySpan<byte> bytes)
    {
        Int(bytes.Length);
        Bytes(bytes);
    }

    /// <summary>Writes a string (null allowed): UTF-8 length (−1 for null), then the bytes.</summary>
    public void String(string? value)
    {
        if (value is null)
        {
            Int(-1);
            return;
        }

        int count = Encoding.UTF8.GetByteCount(value);
        Int(count);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(count));
        _buffer.Advance(count);
    }

    private void Write(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    private void Bytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer.GetSpan(bytes.Length));
        _buffer.Advance(bytes.Length);
    }
}
