using System.Runtime.CompilerServices;

namespace MicroMoment.Data;

/// <summary>
/// Streams delimiter-separated records (RFC 4180 quoting) from a <see cref="TextReader"/> without allocating per
/// record: fields are exposed as spans over an internal buffer, valid until the next <see cref="Read"/>.
/// Quoted fields may contain delimiters, doubled quotes and line breaks. LF and CRLF line endings are accepted.
/// Empty lines are skipped and are not records. A record longer than the limit is skipped up to the next
/// line break and reported as <see cref="RecordStatus.TooLong"/>, so one huge field cannot exhaust memory.
/// </summary>
internal sealed class DelimitedRecordReader : IDisposable
{
    /// <summary>Default limit on one record's length, in characters.</summary>
    public const int DefaultMaxRecordChars = 1 << 20;

    private const int InitialBufferChars = 1 << 16;

    private readonly TextReader _reader;
    private readonly int _maxRecordChars;
    private char[] _buffer;
    private int _pos;
    private int _length;
    private bool _eof;
    private bool _started;
    private long _nextLine = 1;
    private int[] _starts = new int[16];
    private int[] _lengths = new int[16];
    private int _fieldCount;

    /// <summary>Creates a reader over <paramref name="reader"/>; the reader is disposed with this instance.</summary>
    /// <param name="reader">The text to read.</param>
    /// <param name="delimiter">The field delimiter.</param>
    /// <param name="maxRecordChars">The length limit of one record.</param>
    /// <param name="sourceName">The input's name for error messages.</param>
    public DelimitedRecordReader(TextReader reader, char delimiter, int maxRecordChars = DefaultMaxRecordChars, string sourceName = "input")
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecordChars, 16);
        if (delimiter is '"' or '\n' or '\r')
        {
            throw new ArgumentException($"'{delimiter}' cannot be a field delimiter.", nameof(delimiter));
        }

        _reader = reader;
        Delimiter = delimiter;
        _maxRecordChars = maxRecordChars;
        SourceName = sourceName;
        _buffer = new char[Math.Min(InitialBufferChars, maxRecordChars + 2)];
    }

    /// <summary>The field delimiter; may be changed between records (e.g. after sniffing the first line).</summary>
    public char Delimiter { get; set; }

    /// <summary>The input's name for error messages.</summary>
    public string SourceName { get; }

    /// <summary>The decompressing stream when the input is gzip (it says at the end whether the data ended cleanly), else null.</summary>
    public VerifiedGZipStream? Gzip { get; init; }

    /// <summary>The length limit of one record, in characters.</summary>
    public int MaxRecordChars => _maxRecordChars;

    /// <summary>The 1-based line number on which the last record read starts.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Whether the last record read ended with a line break (false for a final line cut short).</summary>
    public bool IsTerminated { get; private set; }

    /// <summary>Number of fields of the last record read.</summary>
    public int FieldCount => _fieldCount;

    /// <summary>The text of field <paramref name="index"/> of the last record (quotes removed, doubled quotes undone).</summary>
    public ReadOnlySpan<char> Field(int index)
    {
        if ((uint)index >= (uint)_fieldCount)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The record has {_fieldCount} fields.");
        }

        return _buffer.AsSpan(_starts[index], _lengths[index]);
    }

    /// <summary>
    /// Returns the first line of the remaining data (without its line break) without consuming it, reading at most
    /// <paramref name="maxChars"/> characters; empty at end of data.
    /// </summary>
    public ReadOnlySpan<char> PeekLine(int maxChars)
    {
        while (true)
        {
            var available = _buffer.AsSpan(_pos, _length - _pos);
            int newline = available.IndexOf('\n');
            if (newline >= 0)
            {
                return TrimCarriageReturn(available[..newline]);
            }

            if (_eof || available.Length >= maxChars)
            {
                return TrimCarriageReturn(available[..Math.Min(available.Length, maxChars)]);
            }

            Fill();
        }
    }

    /// <summary>Reads the next non-empty record.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public RecordStatus Read()
    {
        while (true)
        {
            _fieldCount = 0;
            long line = _nextLine;
            int scan = _pos;
            bool inQuotes = false;
            bool sawQuote = false;
            int newlinesInside = 0;
            int end;
            bool terminated;

            while (true)
            {
                var span = _buffer.AsSpan(scan, _length - scan);
                int i = span.IndexOfAny('\n', '"');
                if (i >= 0)
                {
                    scan += i + 1;
                    if (span[i] == '"')
                    {
                        inQuotes = !inQuotes;
                        sawQuote = true;
                        continue;
                    }

                    if (!inQuotes)
                    {
                        end = scan - 1;
                        terminated = true;
                        break;
                    }

                    newlinesInside++;
                    continue;
                }

                scan = _length;
                if (scan - _pos > _maxRecordChars)
                {
                    LineNumber = line;
                    IsTerminated = SkipToLineBreak();
                    _nextLine = line + newlinesInside + 1;
                    return RecordStatus.TooLong;
                }

                if (_eof)
                {
                    if (_length == _pos)
                    {
                        return RecordStatus.EndOfData;
                    }

                    end = _length;
                    terminated = false;
                    break;
                }

                int before = _pos;
                Fill();
                scan -= before - _pos;
            }

            int start = _pos;
            _pos = terminated ? end + 1 : end;
            _nextLine = line + newlinesInside + 1;
            if (end > start && _buffer[end - 1] == '\r')
            {
                end--;
            }

            if (end == start)
            {
                continue;
            }

            if (end - start > _maxRecordChars)
            {
                LineNumber = line;
                IsTerminated = terminated;
                return RecordStatus.TooLong;
            }

            LineNumber = line;
            IsTerminated = terminated;
            if (!sawQuote)
            {
                SplitPlain(start, end);
                return RecordStatus.Record;
            }

            return SplitQuoted(start, end) ? RecordStatus.Record : RecordStatus.MalformedQuotes;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();

    private static ReadOnlySpan<char> TrimCarriageReturn(ReadOnlySpan<char> line) =>
        line.Length > 0 && line[^1] == '\r' ? line[..^1] : line;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SplitPlain(int start, int end)
    {
        char delimiter = Delimiter;
        int p = start;
        while (true)
        {
            int i = _buffer.AsSpan(p, end - p).IndexOf(delimiter);
            if (i < 0)
            {
                AddField(p, end - p);
                return;
            }

            AddField(p, i);
            p += i + 1;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool SplitQuoted(int start, int end)
    {
        char delimiter = Delimiter;
        var buffer = _buffer;
        int p = start;
        while (true)
        {
            if (p < end && buffer[p] == '"')
            {
                int write = p;
                int read = p + 1;
                bool closed = false;
                while (read < end)
                {
                    char c = buffer[read];
                    if (c == '"')
                    {
                        if (read + 1 < end && buffer[read + 1] == '"')
                        {
                            buffer[write++] = '"';
                            read += 2;
                            continue;
                        }

                        closed = true;
                        read++;
                        break;
                    }

                    buffer[write++] = c;
                    read++;
                }

                if (!closed)
                {
                    return false;
                }

                AddField(p, write - p);
                if (read == end)
                {
                    return true;
                }

                if (buffer[read] != delimiter)
                {
                    return false;
                }

                p = read + 1;
                continue;
            }

            var rest = buffer.AsSpan(p, end - p);
            int i = rest.IndexOfAny(delimiter, '"');
            if (i >= 0 && rest[i] == '"')
            {
                return false;
            }

            if (i < 0)
            {
                AddField(p, end - p);
                return true;
            }

            AddField(p, i);
            p += i + 1;
        }
    }

    private void AddField(int start, int length)
    {
        if (_fieldCount == _starts.Length)
        {
            Array.Resize(ref _starts, _starts.Length * 2);
            Array.Resize(ref _lengths, _lengths.Length * 2);
        }

        _starts[_fieldCount] = start;
        _lengths[_fieldCount] = length;
        _fieldCount++;
    }

    /// <summary>Discards data up to and including the next line break; returns whether one was found.</summary>
    private bool SkipToLineBreak()
    {
        _pos = _length;
        while (true)
        {
            if (_pos == _length)
            {
                if (_eof)
                {
                    return false;
                }

                _pos = 0;
                _length = 0;
                Fill();
                continue;
            }

            int i = _buffer.AsSpan(_pos, _length - _pos).IndexOf('\n');
            if (i >= 0)
            {
                _pos += i + 1;
                return true;
            }

            _pos = _length;
        }
    }

    /// <summary>Reads more text, moving unconsumed data to the front and growing the buffer when it is full.</summary>
    private void Fill()
    {
        if (_pos > 0)
        {
            int remaining = _length - _pos;
            if (remaining > 0)
            {
                Array.Copy(_buffer, _pos, _buffer, 0, remaining);
            }

            _pos = 0;
            _length = remaining;
        }

        if (_length == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        int n;
        try
        {
            n = _reader.Read(_buffer, _length, _buffer.Length - _length);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException(
                $"'{SourceName}' could not be decompressed near line {_nextLine:N0}: {e.Message} The compressed data is corrupt.", e);
        }

        if (n == 0)
        {
            _eof = true;
        }
        else if (!_started)
        {
            _started = true;
            if (_buffer[_length] == '\uFEFF')
            {
                // A byte-order mark the text reader did not consume.
                Array.Copy(_buffer, _length + 1, _buffer, _length, n - 1);
                n--;
            }
        }

        _length += n;
    }
}
