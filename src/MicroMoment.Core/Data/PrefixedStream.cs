namespace MicroMoment.Data;

/// <summary>
/// A read-only, forward-only stream that first replays a few bytes already taken from an inner stream
/// (used to sniff gzip magic bytes on streams that cannot seek) and then continues with the inner stream.
/// </summary>
internal sealed class PrefixedStream : Stream
{
    private readonly Stream _inner;
    private readonly byte[] _prefix;
    private readonly int _prefixLength;
    private readonly bool _leaveOpen;
    private int _prefixPosition;

    public PrefixedStream(Stream inner, byte[] prefix, int prefixLength, bool leaveOpen)
    {
        _inner = inner;
        _prefix = prefix;
        _prefixLength = prefixLength;
        _leaveOpen = leaveOpen;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException("This stream cannot report a length.");

    public override long Position
    {
        get => throw new NotSupportedException("This stream cannot report a position.");
        set => throw new NotSupportedException("This stream cannot seek.");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_prefixPosition < _prefixLength)
        {
            int n = Math.Min(buffer.Length, _prefixLength - _prefixPosition);
            _prefix.AsSpan(_prefixPosition, n).CopyTo(buffer);
            _prefixPosition += n;
            if (n < buffer.Length)
            {
                // Continue into the inner stream so a reader sniffing a byte-order mark sees enough bytes at once.
                n += _inner.Read(buffer[n..]);
            }

            return n;
        }

        return _inner.Read(buffer);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("This stream cannot seek.");

    public override void SetLength(long value) => throw new NotSupportedException("This stream is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("This stream is read-only.");

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
