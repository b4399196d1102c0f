using System.IO.Compression;
using System.Text;

namespace MicroMoment.Tests.Data;

/// <summary>Small helpers turning test text into (optionally gzipped) streams.</summary>
internal static class TestStreams
{
    public static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));

    public static MemoryStream Gzip(string text) => new(GzipBytes(Encoding.UTF8.GetBytes(text)));

    public static byte[] GzipBytes(byte[] raw)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(raw);
        }

        return output.ToArray();
    }
}
