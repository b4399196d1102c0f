using System.Collections.Concurrent;
using MicroMoment.Cli.Traffic;
using MicroMoment.Client;
using MicroMoment.Data;
using MicroMoment.Events;
using MicroMoment.Sessions;
using MicroMoment.Training;

namespace MicroMoment.Gateway.Tests;

public sealed class ReplayEquivalenceTests
{
    [Fact]
    public async Task ReplayingTheRees46SampleThroughTheGatewayGivesEveryEventItsOfflineEvalScore()
    {
        var model = BundledModel.Model;
        var path = BundledModel.Rees46HeadPath;
        await using var gateway = await TestGateway.StartAsync(await RecordingSilo.StartAsync(), o => o.MaxEventAge = null);
        var log = ReplayLog.Load([new FileInfo(path)], shiftToNow: false, DateTime.UtcNow);
        var online = new ConcurrentDictionary<string, Score>(StringComparer.Ordinal);

        var report = await ReplayRunner.RunAsync(log, new ReplayOptions { Target = gateway.Host.BaseAddress, Key = TestGateway.ServerKey, BatchSize = 500, Concurrency = 4 },
            onResult: (e, r) => online[e.EventId!] = r.Score ?? throw new InvalidOperationException($"Event {e.EventId} came back {r.Status} {r.Reason} without a score."));

        var events = new List<ClickEvent>();
        long row = 0;
        foreach (var e in EventLogReader.Read(path, new IngestReport())) events.Add(e with { EventId = ReplayLog.EventId(0, row++) });
        var sessions = Sessionizer.Sessionize(events, new SessionizerOptions { InactivityTimeout = model.SessionTimeout });
        var offline = ModelEvaluator.Evaluate(model, sessions, CensoringPolicy.ObservedAsNegative).Scored;

        Assert.Equal(0, log.Skipped);
        Assert.Equal(events.Count, report.Events);
        Assert.Equal(events.Count, report.Accepted);
        Assert.Equal(0, report.RejectedTotal + report.Duplicates);
        Assert.Equal(events.Count, online.Count);
        var users = 0;
        foreach (var user in offline.GroupBy(s => s.Session.UserId))
        {
            users++;
            foreach (var session in user)
            {
                for (var t = 0; t < session.Scores.Length; t++)
                {
                    var expected = session.Scores[t];
                    var actual = online[session.Session.Events[t].EventId!];
                    Assert.Equal(expected.BuyProbability, actual.Buy!.Value, 1e-5f);
                    Assert.Equal(expected.ExitProbability, actual.Exit!.Value, 1e-5f);
                    Assert.Equal(expected.Cluster, actual.Cluster);
                    Assert.Equal(t, actual.Position);
                    Assert.Equal(t == 0, actual.NewSession);
                }
            }
        }
        Assert.True(users > 1_000, $"only {users} users");
    }
}
