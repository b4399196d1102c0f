using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MicroMoment.Events;
using MicroMoment.Scoring;
using Microsoft.Extensions.Time.Testing;
using static MicroMoment.Silo.Tests.SiloTestData;

namespace MicroMoment.Silo.Tests.Storage;

/// <summary>
/// Grain state written by one version of the silo must be read by the next. Each folder under
/// <c>tests/MicroMoment.Silo.Tests/Fixtures/state/</c> holds a state file (<c>grains.db</c>) that a released version
/// wrote, the model its sessions belong to, and <c>expected.json</c>: what the shoppers looked like when it was written
/// and what the next events must score when their sessions go on. Folders are never rewritten once committed; a change
/// of the stored state adds a folder (set <c>MICROMOMENT_WRITE_STATE_FIXTURE=&lt;name&gt;</c> and run
/// <see cref="ThisVersionWritesWhatTheNewestFixtureRecords"/> to write it).
/// </summary>
public class StateFormatFixtureTests
{
    private const string WriteVariable = "MICROMOMENT_WRITE_STATE_FIXTURE";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The silo clock while the fixture is written and read: offers keep their state whatever day the test runs.</summary>
    private static readonly DateTimeOffset SiloTime = new(2019, 10, 1, 10, 10, 0, TimeSpan.Zero);

    private static string FixturesRoot => Path.Combine(RepositoryRoot, "tests", "MicroMoment.Silo.Tests", "Fixtures", "state");

    /// <summary>Every committed fixture folder.</summary>
    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (string dir in Directory.GetDirectories(FixturesRoot).Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(dir));
        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task AStoredFixtureIsReadAndItsSessionsGoOn(string name)
    {
        string fixture = Path.Combine(FixturesRoot, name);
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(fixture, "expected.json")))!.AsObject();
        var model = MicroMomentModel.Load(Path.Combine(fixture, "model.mmm"));
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(fixture, "grains.db"), Path.Combine(dir.Path, "grains.db"));

        await using var silo = await EmbeddedSilo.StartAsync(model, Options(dir.Path), new FakeTimeProvider(SiloTime));
        foreach (var shopper in expected["shoppers"]!.AsArray())
        {
            var view = await silo.GetUserAsync((string)shopper!["tenant"]!, (string)shopper["userId"]!);
            Assert.NotNull(view);
            AssertSameShopper(shopper.AsObject(), Describe(view));
        }

        var continuation = expected["continuation"]!.AsArray();
        var events = continuation.Select(e => ReadEvent(e!["event"]!.AsObject())).ToArray();
        var outcomes = await silo.IngestAsync(events);
        Assert.Equal(continuation.Count, outcomes.Count);
        for (int i = 0; i < outcomes.Count; i++)
        {
            var want = continuation[i]!.AsObject();
            string what = $"continuation event {i} ({events[i].UserId}, id {events[i].EventId}) of fixture '{name}'";
            Assert.True((string)want["status"]! == outcomes[i].Status.ToString(), $"{what}: status {outcomes[i].Status}, expected {want["status"]}");
            if (want["position"] is null) continue;
            var score = outcomes[i].Score ?? throw new Xunit.Sdk.XunitException($"{what} has no score");
            Assert.True((int)want["position"]! == score.Position, $"{what}: position {score.Position}, expected {want["position"]} (the stored session was not continued)");
            Assert.Equal((float)want["buy"]!, score.BuyProbability, 1e-5f);
            Assert.Equal((float)want["exit"]!, score.ExitProbability, 1e-5f);
        }
    }

    [Fact]
    public async Task ThisVersionWritesWhatTheNewestFixtureRecords()
    {
        string newest = Directory.GetDirectories(FixturesRoot).Order(StringComparer.Ordinal).Last();
        string modelPath = Path.Combine(newest, "model.mmm");
        var model = MicroMomentModel.Load(modelPath);
        using var dir = new TempDirectory();
        var written = await WriteScenarioAsync(model, dir.Path);

        string? target = Environment.GetEnvironmentVariable(WriteVariable);
        if (!string.IsNullOrEmpty(target))
        {
            string folder = Path.Combine(FixturesRoot, target);
            Directory.CreateDirectory(folder);
            File.Copy(Path.Combine(dir.Path, "grains.db"), Path.Combine(folder, "grains.db"), overwrite: true);
            if (!File.Exists(Path.Combine(folder, "model.mmm"))) File.Copy(modelPath, Path.Combine(folder, "model.mmm"));
            File.WriteAllText(Path.Combine(folder, "expected.json"), written.ToJsonString(Indented) + "\n");
            newest = folder;
        }

        var recorded = JsonNode.Parse(File.ReadAllText(Path.Combine(newest, "expected.json")))!;
        Assert.True(JsonNode.DeepEquals(recorded, written),
            $"This version's state of the fixture scenario differs from what '{Path.GetFileName(newest)}' records. If the stored state changed on purpose, " +
            $"add a fixture folder ({WriteVariable}=<next name>) and keep the old ones: they prove old state is still read.\nNow:\n{written.ToJsonString(Indented)}");
    }

    private static SiloOptions Options(string dataDirectory) => new()
    {
        DataDirectory = dataDirectory,
        Trigger = new TriggerPolicyOptions { BuyThreshold = 1e-6f, MaxOffersPerSession = 1 },
    };

    /// <summary>
    /// Runs the fixture scenario: three shoppers (one with named consent categories and a time zone, one with a fired
    /// offer that was shown, one with a duplicate), writes their state, and records the views and what the next events
    /// score on an uninterrupted run.
    /// </summary>
    private static async Task<JsonObject> WriteScenarioAsync(MicroMomentModel model, string dataDirectory)
    {
        ClickEvent[] before =
        [
            Event("ana", 0, id: "a1") with { Context = new EventContext("mobile", "ios", null, "/p/1001", "Europe/Lisbon") },
            Event("ana", 1, EventType.View, product: 1002, price: 40f, id: "a2"),
            Event("ana", 2, EventType.Cart, product: 1002, price: 40f, id: "a3"),
            Event("ben", 0, id: "b1"),
            Event("ben", 3, EventType.Cart, id: "b2"),
            Event("cho", 0, product: 2001, price: 9.5f, id: "c1", tenant: "shop-2"),
            Event("cho", 0.5, product: 2001, price: 9.5f, id: "c1", tenant: "shop-2"),
        ];
        ClickEvent[] after =
        [
            Event("ana", 4, EventType.View, product: 1003, price: 12f, id: "a4"),
            Event("ben", 5, EventType.Purchase, id: "b3"),
            Event("cho", 1, product: 2001, price: 9.5f, id: "c1", tenant: "shop-2"),
            Event("cho", 2, EventType.Cart, product: 2001, price: 9.5f, id: "c2", tenant: "shop-2"),
        ];

        var shoppers = new JsonArray();
        await using (var silo = await EmbeddedSilo.StartAsync(model, Options(dataDirectory), new FakeTimeProvider(SiloTime)))
        {
            await silo.SetConsentAsync(ClickEvent.DefaultTenant, "ana", new Consent(true, ["offers", "recommendations"]));
            var outcomes = await silo.IngestAsync(before);
            string offer = outcomes[3].Decision?.Offer?.Id ?? throw new Xunit.Sdk.XunitException("ben's first event fired no offer at threshold 1e-6");
            Assert.Equal(FeedbackOutcome.Recorded, await silo.RecordFeedbackAsync(offer, OfferFeedback.Shown, Start.AddMinutes(1)));
            await silo.FlushAsync();
            foreach (var e in before.DistinctBy(e => (e.Tenant, e.UserId)))
                shoppers.Add(Describe((await silo.GetUserAsync(e.Tenant, e.UserId))!));
        }

        var scorers = new Dictionary<string, SessionScorer>();
        foreach (var e in before.DistinctBy(e => e.EventId)) Scorer(scorers, model, e).Score(e);
        var continuation = new JsonArray();
        var seen = before.Select(e => e.EventId).ToHashSet();
        foreach (var e in after)
        {
            var step = new JsonObject { ["event"] = WriteEvent(e) };
            if (!seen.Add(e.EventId))
            {
                step["status"] = nameof(IngestStatus.Duplicate);
            }
            else
            {
                var score = Scorer(scorers, model, e).Score(e);
                step["status"] = nameof(IngestStatus.Accepted);
                step["position"] = score.Position;
                step["buy"] = Math.Round(score.BuyProbability, 6);
                step["exit"] = Math.Round(score.ExitProbability, 6);
            }

            continuation.Add(step);
        }

        return new JsonObject { ["shoppers"] = shoppers, ["continuation"] = continuation };
    }

    private static SessionScorer Scorer(Dictionary<string, SessionScorer> scorers, MicroMomentModel model, ClickEvent e)
    {
        string key = e.Tenant + "/" + e.UserId;
        if (!scorers.TryGetValue(key, out var scorer)) scorers[key] = scorer = model.CreateScorer();
        return scorer;
    }

    private static JsonObject Describe(UserView view) => new()
    {
        ["tenant"] = view.Tenant,
        ["userId"] = view.UserId,
        ["tracking"] = view.Consent.Tracking,
        ["categories"] = new JsonArray(view.Consent.Categories.Order(StringComparer.Ordinal).Select(c => (JsonNode)c).ToArray()),
        ["timeZone"] = view.TimeZone,
        ["sessionStart"] = view.SessionStart?.ToString("O", CultureInfo.InvariantCulture),
        ["eventsApplied"] = view.EventsApplied,
        ["duplicatesDropped"] = view.DuplicatesDropped,
        ["timeline"] = new JsonArray(view.Timeline.Select(t => (JsonNode)$"{t.EventId}:{t.Type}:{t.ProductId}").ToArray()),
        ["latestPosition"] = view.Latest?.Position,
        ["latestBuy"] = view.Latest is { } latest ? Math.Round(latest.BuyProbability, 6) : null,
        ["offers"] = new JsonArray(view.ActiveOffers.Select(o => (JsonNode)$"{o.Id}:{o.State}").ToArray()),
    };

    private static void AssertSameShopper(JsonObject expected, JsonObject actual)
    {
        foreach (var (field, value) in expected)
        {
            var now = actual[field];
            bool same = field == "latestBuy" && value is not null && now is not null
                ? Math.Abs((double)value - (double)now) <= 1e-5
                : JsonNode.DeepEquals(value, now);
            Assert.True(same, $"shopper {expected["tenant"]}/{expected["userId"]}: {field} is {now?.ToJsonString() ?? "null"} after reading the stored state, expected {value?.ToJsonString() ?? "null"}");
        }
    }

    private static JsonObject WriteEvent(ClickEvent e) => new()
    {
        ["tenant"] = e.Tenant,
        ["userId"] = e.UserId,
        ["timestamp"] = e.Timestamp.ToString("O", CultureInfo.InvariantCulture),
        ["type"] = e.Type.ToString(),
        ["productId"] = e.ProductId,
        ["categoryId"] = e.CategoryId,
        ["categoryCode"] = e.CategoryCode,
        ["brand"] = e.Brand,
        ["price"] = e.Price,
        ["eventId"] = e.EventId,
    };

    private static ClickEvent ReadEvent(JsonObject e) => new(
        (string)e["tenant"]!,
        (string)e["userId"]!,
        DateTime.Parse((string)e["timestamp"]!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        Enum.Parse<EventType>((string)e["type"]!),
        (long)e["productId"]!,
        (long)e["categoryId"]!,
        (string?)e["categoryCode"],
        (string?)e["brand"],
        (float)e["price"]!,
        EventId: (string?)e["eventId"]);
}
