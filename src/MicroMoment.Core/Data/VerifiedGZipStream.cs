using System.IO.Compression;

namespace MicroMoment.Data;

/// <summary>
/// Decompresses gzip data (one member or several concatenated) with <see cref="GZipStream"/> and finds out whether it
/// ended cleanly, which <see cref="GZipStream"/> does not say: it returns end of data, without an error, both when the
/// last member is complete and when the input stops in the middle of one (zlib checks each member's CRC-32 and length,
/// but only when the trailer holding them arrives). So when the input ends, a small complete gzip member holding a
/// known marker is fed after it. If the real data ended at a member boundary, that member decompresses as one more
/// member and the marker comes out last; if it was cut short, zlib reads the marker member's bytes as the rest of the
/// cut member and fails or produces something else. Output decoded after the input ended is never passed on, so
/// nothing of the marker member (or of what zlib makes of it) reaches the reader. A failure of zlib's checks before the
/// input ended is corruption; the decompressor stopping before the input ended means bytes that are not gzip follow.
/// The outcome is in <see cref="Damage"/> once <see cref="Read(Span{byte})"/> has returned 0; damage ends the text
/// (it is not thrown), so the rows before it are read and counted.
/// </summary>
internal sealed class VerifiedGZipStream : Stream
{
    private static readonly byte[] Marker = "MicroMoment: end of gzip input 5c1e0f93a7d2"u8.ToArray();
    private static readonly byte[] MarkerMember = Compress(Marker);

    private readonly Feed _feed;
    private readonly GZipStream _gzip;
    private readonly byte[] _tail = new byte[Marker.Length];
    private int _tailLength;
    private bool _tailOverflow;
    private bool _ended;

    /// <summary>Wraps <paramref name="compressed"/>, whose gzip magic bytes have not been consumed.</summary>
    public VerifiedGZipStream(Stream compressed, bool leaveOpen)
    {
        _feed = new Feed(compressed, leaveOpen);
        _gzip = new GZipStream(_feed, CompressionMode.Decompress, leaveOpen: false);
    }

    /// <summary>How the data failed to end cleanly, or null (a clean end, or not at the end yet).</summary>
    public GzipDamage? Damage { get; private set; }

    /// <summary>A sentence describing <see cref="Damage"/> (where it happened, what was lost), or null.</summary>
    public string? DamageDetail { get; private set; }

    /// <summary>True once the end was reached, cleanly or not.</summary>
    public bool Ended => _ended;

    /// <summary>Compressed bytes read from the input so far.</summary>
    public long CompressedBytes => _feed.InputBytes;

    /// <summary>Decompressed bytes passed on so far.</summary>
    public long DecompressedBytes { get; private set; }

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
        if (buffer.IsEmpty) return 0;
        while (!_ended)
        {
            int n;
            try
            {
                n = _gzip.Read(buffer);
            }
            catch (InvalidDataException)
            {
                End(_feed.InputEnded ? GzipDamage.Truncated : GzipDamage.Corrupt);
                return 0;
            }

            if (n == 0)
            {
                if (!_feed.InputEnded) End(GzipDamage.TrailingData);
                else if (_tailOverflow || !_tail.AsSpan(0, _tailLength).SequenceEqual(Marker)) End(GzipDamage.Truncated);
                else End(null);
                return 0;
            }

            if (!_feed.InputEnded)
            {
                DecompressedBytes += n;
                return n;
            }

            // Decoded after the input ended: the marker (or what a cut member makes of the marker member), never data.
            var got = buffer[..n];
            int room = _tail.Length - _tailLength;
            if (got.Length > room) _tailOverflow = true;
            got[..Math.Min(room, got.Length)].CopyTo(_tail.AsSpan(_tailLength));
            _tailLength += Math.Min(room, got.Length);
        }

        return 0;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("This stream cannot seek.");

    public override void SetLength(long value) => throw new NotSupportedException("This stream is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("This stream is read-only.");

    protected override void Dispose(bool disposing)
    {
        if (disposing) _gzip.Dispose();
        base.Dispose(disposing);
    }

    private void End(GzipDamage? damage)
    {
        _ended = true;
        Damage = damage;
        DamageDetail = damage switch
        {
            GzipDamage.Truncated => $"the gzip data ends in the middle of a member, after {CompressedBytes:N0} compressed bytes (the file was cut short, or its last member lost its trailer)",
            // .NET words every zlib data error as "unsupported compression method", which misleads here; the reason is said instead.
            GzipDamage.Corrupt => $"the gzip data fails zlib's checks after {DecompressedBytes:N0} bytes of text (a CRC-32 or length mismatch in a member's trailer, or invalid compressed data)",
            GzipDamage.TrailingData => "the file goes on after the end of its gzip data with bytes that are not a gzip member (a damaged further member?), which were not read",
            _ => null,
        };
    }

    private static byte[] Compress(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(data);
        return output.ToArray();
    }

    /// <summary>The input, then (once it has ended) the marker member, then the end.</summary>
    private sealed class Feed(Stream input, bool leaveOpen) : Stream
    {
        private int _markerAt = -1;

        /// <summary>True once the input has ended and the marker member started.</summary>
        public bool InputEnded => _markerAt >= 0;

        public long InputBytes { get; private set; }

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
            if (buffer.IsEmpty) return 0;
            if (_markerAt < 0)
            {
                int n = input.Read(buffer);
                if (n > 0)
                {
                    InputBytes += n;
                    return n;
                }

                _markerAt = 0;
            }

            int count = Math.Min(buffer.Length, MarkerMember.Length - _markerAt);
            MarkerMember.AsSpan(_markerAt, count).CopyTo(buffer);
            _markerAt += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("This stream cannot seek.");

        public override void SetLength(long value) => throw new NotSupportedException("This stream is read-only.");

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("This stream is read-only.");

        protected override void Dispose(bool disposing)
        {
            if (disposing && !leaveOpen) input.Dispose();
            base.Dispose(disposing);
        }
    }
}
