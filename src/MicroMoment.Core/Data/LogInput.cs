using System.Text;

namespace MicroMoment.Data;

/// <summary>Opens log files and streams as decoded text: gzip is detected by its magic bytes, never by extension.</summary>
internal static class LogInput
{
    private const int FileBufferSize = 1 << 16;
    private const int TextBufferSize = 1 << 16;

    /// <summary>UTF-8 without throwing on invalid bytes (they decode to U+FFFD).</summary>
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Opens a file for one sequential pass, with a clear error when it does not exist.</summary>
    public static FileStream OpenFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Event log file not found: '{path}'.", path);
        }

        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileBufferSize, FileOptions.SequentialScan);
    }

    /// <summary>Checks that a path names an existing file, so that readers fail when called rather than when enumerated.</summary>
    public static void RequireFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Event log file not found: '{path}'.", path);
        }
    }

    /// <summary>
    /// Wraps <paramref name="raw"/> into a text reader, decompressing when the data starts with the gzip magic
    /// bytes 0x1f 0x8b (gzip data that ends badly ends the text; <see cref="VerifiedGZipStream"/> says how). A UTF-8
    /// (or UTF-16) byte-order mark is honoured and skipped.
    /// </summary>
    /// <param name="raw">The raw byte stream.</param>
    /// <param name="leaveOpen">Whether disposing the returned reader leaves <paramref name="raw"/> open.</param>
    public static TextReader OpenText(Stream raw, bool leaveOpen) => OpenText(raw, leaveOpen, out _);

    /// <summary>
    /// Like <see cref="OpenText(Stream, bool)"/>, and gives the decompressing stream of gzip input (null for plain text),
    /// which tells at the end of the text whether the gzip data ended cleanly.
    /// </summary>
    public static TextReader OpenText(Stream raw, bool leaveOpen, out VerifiedGZipStream? gzip)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (!raw.CanRead)
        {
            throw new ArgumentException("The event log stream must be readable.", nameof(raw));
        }

        var magic = new byte[2];
        int got = 0;
        while (got < magic.Length)
        {
            int n = raw.Read(magic, got, magic.Length - got);
            if (n == 0)
            {
                break;
            }

            got += n;
        }

        Stream bytes = new PrefixedStream(raw, magic, got, leaveOpen);
        gzip = null;
        if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            bytes = gzip = new VerifiedGZipStream(bytes, leaveOpen: false);
        }

        return new StreamReader(bytes, Utf8, detectEncodingFromByteOrderMarks: true, TextBufferSize, leaveOpen: false);
    }
}
