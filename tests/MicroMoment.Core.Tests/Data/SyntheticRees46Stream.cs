using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using MicroMoment.Data;

namespace MicroMoment.Tests.Data;

/// <summary>
/// A read-only stream that synthesizes a REES46 CSV of <c>rows</c> rows on the fly (nothing is kept in memory or on
/// disk), with a realistic mix of repeating users, sessions, brands and category codes. Deterministic.
/// </summary>
internal sealed class SyntheticRees46Stream : Stream
{
    private const int Users = 20_000;
    private static readonly DateTime Start = new(2019, 10, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly byte[] UtcSuffix = " UTC,"u8.ToArray();
    private static readonly byte[] View = "view"u8.ToArray();
    private static readonly byte[] Cart = "cart"u8.ToArray();
    private static readonly byte[] Remove = "remove_from_cart"u8.ToArray();
    private static readonly byte[] Purchase = "purchase"u8.ToArray();

    private readonly long _rows;
    private readonly byte[][] _userBytes;
    private readonly byte[][] _sessionBytes;
    private readonly byte[][] _codes;
    private readonly byte[][] _brands;
    private readonly byte[] _row = new byte[512];
    private int _rowLength;
    private int _rowPosition;
    private long _next = -1;

    public SyntheticRees46Stream(long rows)
    {
        _rows = rows;
        _userBytes = new byte[Users][];
        _sessionBytes = new byte[Users][];
        for (int u = 0; u < Users; u++)
        {
            _userBytes[u] = Encoding.ASCII.GetBytes((510_000_000 + u * 37).ToString(System.Globalization.CultureInfo.InvariantCulture));
            _sessionBytes[u] = Encoding.ASCII.GetBytes(new Guid(u, 7, 7, 1, 2, 3, 4, 5, 6, 7, 8).ToString());
        }

        _codes = Enumerable.Range(0, 40).Select(i => Encoding.ASCII.GetBytes(i % 5 == 0 ? string.Empty : $"electronics.group{i}.item")).ToArray();
        _brands = Enumerable.Range(0, 200).Select(i => Encoding.ASCII.GetBytes(i % 7 == 0 ? string.Empty : $"brand{i}")).ToArray();
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override int Read(Span<byte> buffer)
    {
        int written = 0;
        while (written < buffer.Length)
        {
            if (_rowPosition == _rowLength)
            {
                if (_next >= _rows)
                {
                    break;
                }

                Generate();
            }

            int n = Math.Min(buffer.Length - written, _rowLength - _rowPosition);
            _row.AsSpan(_rowPosition, n).CopyTo(buffer[written..]);
            _rowPosition += n;
            written += n;
        }

        return written;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Generate()
    {
        _rowPosition = 0;
        if (_next < 0)
        {
            _rowLength = Encoding.ASCII.GetBytes(Rees46CsvReader.ExpectedHeader + "\n", _row);
            _next = 0;
            return;
        }

        long i = _next++;
        ulong h = (ulong)i * 0x9E3779B97F4A7C15UL;
        h ^= h >> 29;
        var span = _row.AsSpan();
        int p = 0;
        var time = Start.AddTicks(i / 8 * TimeSpan.TicksPerSecond);
        p += FormatTime(time, span[p..]);
        p += Copy((h % 100) switch { < 90 => View, < 95 => Cart, < 97 => Remove, _ => Purchase }, span[p..]);
        span[p++] = (byte)',';
        long product = 1_000_000 + (long)(h % 50_000);
        Utf8Formatter.TryFormat(product, span[p..], out int n);
        p += n;
        span[p++] = (byte)',';
        Utf8Formatter.TryFormat(2_053_013_552_000_000_000L + product / 100, span[p..], out n);
        p += n;
        span[p++] = (byte)',';
        p += Copy(_codes[product % _codes.Length], span[p..]);
        span[p++] = (byte)',';
        p += Copy(_brands[product % _brands.Length], span[p..]);
        span[p++] = (byte)',';
        Utf8Formatter.TryFormat((product % 100_000) / 100m, span[p..], out n, new System.Buffers.StandardFormat('F', 2));
        p += n;
        span[p++] = (byte)',';
        int user = (int)((h >> 20) % Users);
        p += Copy(_userBytes[user], span[p..]);
        span[p++] = (byte)',';
        p += Copy(_sessionBytes[user], span[p..]);
        span[p++] = (byte)'\n';
        _rowLength = p;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int FormatTime(DateTime time, Span<byte> destination)
    {
        var two = new System.Buffers.StandardFormat('D', 2);
        Utf8Formatter.TryFormat(time.Year, destination, out _);
        destination[4] = (byte)'-';
        Utf8Formatter.TryFormat(time.Month, destination[5..], out _, two);
        destination[7] = (byte)'-';
        Utf8Formatter.TryFormat(time.Day, destination[8..], out _, two);
        destination[10] = (byte)' ';
        Utf8Formatter.TryFormat(time.Hour, destination[11..], out _, two);
        destination[13] = (byte)':';
        Utf8Formatter.TryFormat(time.Minute, destination[14..], out _, two);
        destination[16] = (byte)':';
        Utf8Formatter.TryFormat(time.Second, destination[17..], out _, two);
        return 19 + Copy(UtcSuffix, destination[19..]);
    }

    private static int Copy(byte[] source, Span<byte> destination)
    {
        source.CopyTo(destination);
        return source.Length;
    }
}
