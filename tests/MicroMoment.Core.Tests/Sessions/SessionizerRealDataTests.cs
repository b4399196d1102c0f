using System.Globalization;
using MicroMoment.Data;
using MicroMoment.Sessions;
using MicroMoment.Tests.Data;

namespace MicroMoment.Tests.Sessions;

public class SessionizerRealDataTests
{
    [Fact]
    public void Rees46HeadSessionCountMatchesANaiveCountFromTheRawRows()
    {
        // Independent count: complete raw rows grouped by user_id, times sorted, a gap over 30 minutes splits.
        var rows = RealDataTests.RawLines(TestData.Rees46HeadPath).Skip(1)
            .Select(l => l.Split(','))
            .Where(f => f.Length == 9)
            .Select(f => (User: f[7], Time: DateTime.ParseExact(f[0], "yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture), Type: f[1]))
            .ToList();
        int expectedSessions = 0;
        int expectedPurchasing = 0;
        foreach (var user in rows.GroupBy(r => r.User))
        {
            var ordered = user.OrderBy(r => r.Time).ToList();
            bool purchased = false;
            for (int i = 0; i < ordered.Count; i++)
            {
                if (i == 0 || ordered[i].Time - ordered[i - 1].Time > TimeSpan.FromMinutes(30))
                {
                    expectedSessions++;
                    purchased = false;
                }

                if (ordered[i].Type == "purchase" && !purchased)
                {
                    purchased = true;
                    expectedPurchasing++;
                }
            }
        }

        var sessions = Sessionizer.Sessionize(Rees46CsvReader.Read(TestData.Rees46HeadPath, new IngestReport()), SessionizerOptions.Default);

        Assert.Equal(expectedSessions, sessions.Count);
        Assert.Equal(expectedPurchasing, sessions.Count(s => s.HasPurchase));
        Assert.Equal(rows.Count, sessions.Sum(s => s.Events.Length));
        // Values checked by hand on this slice (30-minute rule, per user_id; not the source's user_session count).
        Assert.Equal(4_518, sessions.Count);
        Assert.Equal(193, sessions.Count(s => s.HasPurchase));
        Assert.Equal(3_884, sessions.Count(s => s.Censored));
    }
}
