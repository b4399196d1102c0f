using System.Globalization;
using System.Text;
using MicroMoment.Data;
using MicroMoment.Events;

namespace MicroMoment.Tests.Data;

/// <summary>
/// Deterministic property tests: generated logs with random quoting, line endings, BOMs and huge fields, then byte
/// mutations, truncations and invalid UTF-8. Readers must never throw while enumerating (except the documented header
/// error), their counts must add up, and every accepted event must be well-formed.
/// </summary>
public class ReaderFuzzTests
{
    private static readonly string[] Types = ["view", "cart", "remove_from_cart", "purchase", "wish,list", "ünï\"cödé"];
    private static readonly string[] Labels = ["", "apple", "home, garden", "the \"best\" co", "two\nlines", "électro.ménager", "x\r\ny"];

    [Fact]
    public void UnmutatedLogsWithRandomQuotingLineEndingsAndBomsRoundTripExactly()
    {
        var random = new Random(1234);
        for (int c = 0; c < 500; c++)
        {
            var (text, expected) = GenerateRees46(random, random.Next(0, 25));
            var report = new IngestReport();
            var events = Rees46CsvReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), $"case{c}", report).ToList();

            Assert.Equal(expected, events);
            Assert.Equal(expected.Count, report.RowsRead);
            Assert.Equal(0, report.RowsRejected);
        }
    }

    [Fact]
    public void MutatedRees46LogsNeverThrowAndCountsAddUp()
    {
        var random = new Random(99);
        for (int c = 0; c < 3000; c++)
        {
            var (text, _) = GenerateRees46(random, random.Next(1, 20));
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            int headerEnd = Array.IndexOf(bytes, (byte)'\n') + 1;
            bytes = Mutate(random, bytes, headerEnd);

            var report = new IngestReport();
            var events = Rees46CsvReader.Read(new MemoryStream(bytes), $"case{c}", report).ToList();
            CheckInvariants(bytes, report, events, c);
        }
    }

    [Fact]
    public void MutatedHeadersEitherReadCleanlyOrThrowTheDocumentedHeaderError()
    {
        var random = new Random(5);
        int headerErrors = 0;
        for (int c = 0; c < 500; c++)
        {
            var (text, _) = GenerateRees46(random, 3);
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            int headerEnd = Array.IndexOf(bytes, (byte)'\n');
            bytes[random.Next(0, headerEnd)] = (byte)random.Next(0, 256);

            var report = new IngestReport();
            try
            {
                var events = Rees46CsvReader.Read(new MemoryStream(bytes), $"case{c}", report).ToList();
                CheckInvariants(bytes, report, events, c);
            }
            catch (InvalidDataException e)
            {
                Assert.Contains("header", e.Message);
                headerErrors++;
            }
        }

        Assert.InRange(headerErrors, 250, 500);
    }

    [Fact]
    public void HugeFieldsAreSkippedAsTooLongOrReadWhenUnderTheLimit()
    {
        foreach (int size in new[] { DelimitedRecordReader.DefaultMaxRecordChars + 10, 300_000 })
        {
            foreach (bool quoted in new[] { false, true })
            {
                string huge = new('b', size);
                string field = quoted ? $"\"{huge}\"" : huge;
                string text = Rees46CsvReader.ExpectedHeader + "\n" +
                    $"2019-10-01 00:00:00 UTC,view,1,2,,{field},1.00,7,s\n" +
                    "2019-10-01 00:00:01 UTC,view,1,2,,,1.00,8,s\n";
                var report = new IngestReport();
                var events = Rees46CsvReader.Read(TestStreams.Utf8(text), "huge", report).ToList();

                bool tooLong = size > DelimitedRecordReader.DefaultMaxRecordChars;
                Assert.Equal(tooLong ? 1 : 2, events.Count);
                Assert.Equal(tooLong ? 1 : 0, report.RejectedFor(RejectReason.RecordTooLong));
                Assert.Equal("8", events[^1].UserId);
                Assert.Equal(tooLong ? [2L] : [], report.Files[0].FirstLines(RejectReason.RecordTooLong));
                CheckInvariants(Encoding.UTF8.GetBytes(text), report, events, size);
            }
        }
    }

    [Fact]
    public void MutatedYoochooseLogsNeverThrowAndCountsAddUp()
    {
        var random = new Random(77);
        for (int c = 0; c < 1500; c++)
        {
            var text = new StringBuilder("SessionId\tItemId\tTime\n");
            int rows = random.Next(1, 20);
            for (int i = 0; i < rows; i++)
            {
                text.Append(random.Next(1, 1000)).Append('\t').Append(random.Next(1, 1_000_000)).Append('\t')
                    .Append((1396437466 + random.Next(0, 600_000)).ToString(CultureInfo.InvariantCulture)).Append('.').Append(random.Next(0, 1000))
                    .Append(random.Next(4) == 0 ? "\r\n" : "\n");
            }

            byte[] bytes = Encoding.UTF8.GetBytes(text.ToString());
            bytes = Mutate(random, bytes, Array.IndexOf(bytes, (byte)'\n') + 1);
            var report = new IngestReport();
            var events = EventLogReader.Read(new MemoryStream(bytes), $"yc{c}", report).ToList();
            CheckInvariants(bytes, report, events, c);
            Assert.All(events, e => Assert.StartsWith("yc-", e.UserId));
        }
    }

    private static void CheckInvariants(byte[] bytes, IngestReport report, List<ClickEvent> events, int caseNumber)
    {
        Assert.Equal(events.Count, report.RowsAccepted);
        Assert.Equal(report.RowsRejected, Enum.GetValues<RejectReason>().Sum(report.RejectedFor));
        Assert.Equal(report.RowsRead, report.RowsAccepted + report.RowsRejected);
        var file = Assert.Single(report.Files);
        Assert.Equal(report.RowsRead, file.RowsRead);

        // Records never outnumber the non-empty physical lines after the header.
        var lines = Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF').Split('\n');
        int dataLines = lines.Skip(1).Count(l => l.TrimEnd('\r').Length > 0);
        Assert.True(report.RowsRead <= dataLines, $"case {caseNumber}: {report.RowsRead} rows from {dataLines} lines");
        foreach (var reason in Enum.GetValues<RejectReason>())
        {
            Assert.All(file.FirstLines(reason), line => Assert.InRange(line, 2, lines.Length));
        }

        foreach (var e in events)
        {
            Assert.Equal(DateTimeKind.Utc, e.Timestamp.Kind);
            Assert.False(string.IsNullOrWhiteSpace(e.UserId));
            Assert.True(e.ProductId >= 0);
            Assert.True(float.IsNaN(e.Price) || (float.IsFinite(e.Price) && e.Price >= 0));
            Assert.True(e.Type == EventType.Other ? !string.IsNullOrEmpty(e.RawType) : e.RawType is null);
        }
    }

    private static byte[] Mutate(Random random, byte[] bytes, int protectedPrefix)
    {
        var list = new List<byte>(bytes);
        int kind = random.Next(6);
        switch (kind)
        {
            case 0:
                break;
            case 1:
                int cut = random.Next(protectedPrefix, list.Count + 1);
                list.RemoveRange(cut, list.Count - cut);

                break;
            case 2:
                // Invalid UTF-8: lone continuation bytes, overlong forms, surrogate encodings, truncated sequences.
                byte[][] invalid = [[0xFF], [0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80]];
                for (int k = random.Next(1, 4); k > 0; k--)
                {
                    list.InsertRange(random.Next(protectedPrefix, list.Count + 1), invalid[random.Next(invalid.Length)]);
                }

                break;
            default:
                byte[] interesting = [(byte)'"', (byte)',', (byte)'\n', (byte)'\r', (byte)'\t', (byte)'-', (byte)'.', (byte)' ', 0, (byte)'9'];
                for (int k = random.Next(1, 6); k > 0; k--)
                {
                    byte value = random.Next(2) == 0 ? interesting[random.Next(interesting.Length)] : (byte)random.Next(256);
                    int op = random.Next(3);
                    if (op == 0 || list.Count <= protectedPrefix)
                    {
                        list.Insert(random.Next(protectedPrefix, list.Count + 1), value);
                    }
                    else if (op == 1)
                    {
                        list[random.Next(protectedPrefix, list.Count)] = value;
                    }
                    else
                    {
                        list.RemoveAt(random.Next(protectedPrefix, list.Count));
                    }
                }

                break;
        }

        return [.. list];
    }

    private static (string Text, List<ClickEvent> Expected) GenerateRees46(Random random, int rows)
    {
        var text = new StringBuilder();
        if (random.Next(5) == 0)
        {
            text.Append('\uFEFF');
        }

        bool crlf = random.Next(3) == 0;
        string newline = crlf ? "\r\n" : "\n";
        text.Append(Rees46CsvReader.ExpectedHeader).Append(newline);
        var expected = new List<ClickEvent>(rows);
        var time = new DateTime(2019, 10, 1, 0, 0, 0, DateTimeKind.Utc);
        for (int i = 0; i < rows; i++)
        {
            time = time.AddSeconds(random.Next(0, 120));
            string type = Types[random.Next(Types.Length)];
            long product = random.NextInt64(0, 100_000_000);
            long category = random.NextInt64(0, long.MaxValue);
            string code = Labels[random.Next(Labels.Length)];
            string brand = Labels[random.Next(Labels.Length)];
            string price = random.Next(6) == 0 ? string.Empty : (random.Next(0, 200_000) / 100.0).ToString("F2", CultureInfo.InvariantCulture);
            string user = random.Next(1, 10_000).ToString(CultureInfo.InvariantCulture);
            string session = random.Next(4) == 0 ? string.Empty : $"s-{random.Next(0, 50)}";
            string[] fields =
            [
                time.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture), type,
                product.ToString(CultureInfo.InvariantCulture), category.ToString(CultureInfo.InvariantCulture),
                code, brand, price, user, session,
            ];
            text.AppendJoin(',', fields.Select(f => Quote(random, f)));
            if (i < rows - 1 || random.Next(4) != 0)
            {
                text.Append(newline);
            }

            var eventType = EventTypes.Parse(type);
            expected.Add(new ClickEvent(
                ClickEvent.DefaultTenant, user, time, eventType, product, category,
                code.Length == 0 ? null : code, brand.Length == 0 ? null : brand,
                price.Length == 0 ? float.NaN : float.Parse(price, CultureInfo.InvariantCulture),
                RawType: eventType == EventType.Other ? type : null,
                SourceSession: session.Length == 0 ? null : session));
        }

        return (text.ToString(), expected);
    }

    private static string Quote(Random random, string field)
    {
        bool mustQuote = field.AsSpan().IndexOfAny(",\"\r\n") >= 0;
        return mustQuote || random.Next(4) == 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
    }
}
