using MicroMoment.Data;

namespace MicroMoment.Tests.Data;

/// <summary>An input that is not text (random bytes, an executable) is named in the error with a short, escaped excerpt: no control character of it reaches the terminal.</summary>
public class BinaryInputMessageTests
{
    private static string ErrorFor(byte[] bytes, string name)
    {
        var events = EventLogReader.Read(new MemoryStream(bytes), name, new IngestReport());
        return Assert.Throws<InvalidDataException>(() => events.ToList()).Message;
    }

    private static void AssertSafe(string message, string name)
    {
        Assert.Contains(name, message, StringComparison.Ordinal);
        Assert.Contains("Cannot tell the format", message, StringComparison.Ordinal);
        var bad = message.Where(c => char.IsControl(c) || c > '~').Select(c => $"U+{(int)c:X4}").ToList();
        Assert.True(bad.Count == 0, $"The message holds characters that are not printable ASCII: {string.Join(", ", bad.Distinct())}");
        // The known formats take about 400 characters; the excerpt adds a bounded amount whatever the input.
        int excerpt = message.Length - ErrorFor("a,b,c\n"u8.ToArray(), name).Length;
        Assert.InRange(excerpt, 0, TextExcerpt.DefaultMaxChars + 32);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomBytesAreShownAsAShortEscapedExcerpt(int seed)
    {
        var bytes = new byte[64 * 1024];
        new Random(seed).NextBytes(bytes);
        if (bytes[0] == 0x1f) bytes[0] = 0; // not the gzip magic
        AssertSafe(ErrorFor(bytes, "random.bin"), "random.bin");
    }

    [Fact]
    public void AnExecutableIsShownAsAShortEscapedExcerpt()
    {
        string path = File.Exists("/bin/ls") ? "/bin/ls" : Environment.ProcessPath!;
        byte[] bytes = File.ReadAllBytes(path);
        string message = ErrorFor(bytes, "ls");
        AssertSafe(message, "ls");
        if (bytes.AsSpan(0, 4).SequenceEqual(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' })) Assert.Contains("'\\x7fELF", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("tab\there", "tab\\there")]
    [InlineData("esc\u001b[31mred", "esc\\x1b[31mred")]
    [InlineData("nul\0", "nul\\0")]
    [InlineData("caf\u00e9", "caf\\xe9")]
    [InlineData("snow\u2603", "snow\\u2603")]
    [InlineData("back\\slash", "back\\\\slash")]
    public void ExcerptKeepsPrintableAsciiAndEscapesTheRest(string text, string expected) => Assert.Equal(expected, TextExcerpt.Of(text));

    [Fact]
    public void ExcerptIsBoundedAndSaysHowLongTheTextWas()
    {
        string excerpt = TextExcerpt.Of(new string('\u0001', 100_000));
        Assert.StartsWith("\\x01\\x01", excerpt, StringComparison.Ordinal);
        Assert.EndsWith("... (100,000 characters)", excerpt, StringComparison.Ordinal);
        Assert.True(excerpt.Length <= TextExcerpt.DefaultMaxChars + 32);
    }
}
