using System.Net;
using System.Text.Json.Nodes;
using MicroMoment.Events;
using Microsoft.Extensions.DependencyInjection;

namespace MicroMoment.Gateway.Tests;

public sealed class EventsApiTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await TestGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private RecordingSilo Silo => (RecordingSilo)_gateway.Silo;

    [Fact]
    public async Task SingleEventIsAcceptedWithItsScoreAndTheTenantOfTheKey()
    {
        var (response, body) = await Json.PostAsync(_gateway.Server, "/v1/events", Json.Event("u1", "e1").ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (int)body!["accepted"]!);
        var result = body["results"]![0]!;
        Assert.Equal("accepted", (string?)result["status"]);
        Assert.Equal("e1", (string?)result["eventId"]);
        Assert.True((bool)result["score"]!["newSession"]!);
        var received = Assert.Single(Silo.Received);
        // The answer carries the model's scores of the event the silo received (a fresh scorer of the model scores it here).
        var expected = new Scoring.SessionScorer(BundledModel.Model).Score(received);
        Assert.Equal(expected.BuyProbability, (float)result["score"]!["buy"]!, 1e-5f);
        Assert.Equal(expected.ExitProbability, (float)result["score"]!["exit"]!, 1e-5f);
        Assert.Equal(TestGateway.Tenant, received.Tenant);
        Assert.Equal(EventType.View, received.Type);
        Assert.Equal("mobile", received.Context.Device);
        Assert.Equal(199f, received.Price);
    }

    [Fact]
    public async Task BatchIsAnsweredPerEventInOrderAndABadEventCostsNoOther()
    {
        var batch = new JsonArray(
            Json.Event("u1", "e1"),
            new JsonObject { ["eventId"] = "e2", ["userId"] = "u1", ["type"] = "like" },
            Json.Event("u1", "e3", "cart"),
            Json.Event("u2", "e4"));

        var (response, body) = await Json.PostAsync(_gateway.Server, "/v1/events", batch.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = body!["results"]!.AsArray();
        Assert.Equal(["accepted", "rejected", "accepted", "accepted"], results.Select(r => (string)r!["status"]!));
        Assert.Equal([0, 1, 2, 3], results.Select(r => (int)r!["index"]!));
        Assert.Equal("unknown-type", (string?)results[1]!["reason"]);
        Assert.Contains("expected view, cart, remove_from_cart, purchase or signal", (string?)results[1]!["detail"]);
        Assert.Equal(["e1", "e3", "e4"], Silo.Received.Select(e => e.EventId!));
        Assert.Equal(1, (int)results[2]!["score"]!["position"]!);
    }

    [Fact]
    public async Task NdjsonLinesAreIndependent()
    {
        var body = Json.Event("u1", "e1").ToJsonString() + "\n{\"eventId\": broken\n\n" + Json.Event("u1", "e2", "cart").ToJsonString() + "\n";

        var (response, answer) = await Json.PostAsync(_gateway.Server, "/v1/events", body, "application/x-ndjson");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = answer!["results"]!.AsArray();
        Assert.Equal(["accepted", "rejected", "accepted"], results.Select(r => (string)r!["status"]!));
        Assert.Equal("malformed-json", (string?)results[1]!["reason"]);
        Assert.Contains("Line 2", (string?)results[1]!["detail"]);
        Assert.Equal(2, Silo.Received.Count);
    }

    [Theory]
    [InlineData("{\"eventId\":\"e\",\"type\":\"view\"}", "missing-user-id")]
    [InlineData("{\"userId\":\"u\",\"type\":\"view\"}", "missing-event-id")]
    [InlineData("{\"eventId\":\"e\",\"userId\":\"u\"}", "missing-type")]
    [InlineData("{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"wishlist\"}", "unknown-type")]
    [InlineData("{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"signal\"}", "missing-signal")]
    [InlineData("{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"view\",\"timestamp\":\"2024-01-01T10:00:00\"}", "invalid-timestamp")]
    [InlineData("{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"view\",\"timestamp\":\"yesterday\"}", "invalid-timestamp")]
    [InlineData("{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"view\",\"timestamp\":\"2001-01-01T10:00:00Z\"}", "timestamp-too-old")]
    [InlineData("{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"view\",\"timestamp\":\"2999-01-01T10:00:00Z\"}", "timestamp-in-future")]
    [InlineData("{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"view\",\"price\":-3}", "invalid-field")]
    [InlineData("{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"view\",\"price\":\"12\"}", "invalid-field")]
    [InlineData("{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"view\",\"productId\":-1}", "invalid-field")]
    [InlineData("{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"view\",\"productId\":1.5}", "invalid-field")]
    [InlineData("{\"eventId\":\"e\",\"userId\":{\"id\":1},\"type\":\"view\"}", "invalid-field")]
    [InlineData("{\"eventId\":\"e\",\"userId\":\"u\\u0000x\",\"type\":\"view\"}", "invalid-field")]
    [InlineData("{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"view\",\"context\":\"mobile\"}", "invalid-field")]
    [InlineData("[42]", "not-an-object")]
    public async Task InvalidEventIsRejectedWithAReasonAndNeverReachesTheSilo(string body, string reason)
    {
        var (response, answer) = await Json.PostAsync(_gateway.Server, "/v1/events", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = answer!["results"]![0]!;
        Assert.Equal("rejected", (string?)result["status"]);
        Assert.Equal(reason, (string?)result["reason"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)result["detail"]));
        Assert.Empty(Silo.Received);
    }

    [Fact]
    public async Task IdsBeyondTwoToTheFiftyThirdTravelAsStrings()
    {
        var body = "{\"eventId\":\"e\",\"userId\":512345678,\"type\":\"view\",\"categoryId\":\"2053013555631882655\",\"productId\":9007199254740993}";

        var (_, answer) = await Json.PostAsync(_gateway.Server, "/v1/events", body);

        Assert.Equal("accepted", (string?)answer!["results"]![0]!["status"]);
        var e = Assert.Single(Silo.Received);
        Assert.Equal("512345678", e.UserId);
        Assert.Equal(2053013555631882655L, e.CategoryId);
        Assert.Equal(9007199254740993L, e.ProductId);
        Assert.True(float.IsNaN(e.Price));
    }

    [Fact]
    public async Task MissingTimestampMeansTheGatewaysNow()
    {
        // The gateway's clock, three hours behind the wall clock: the event gets exactly its time, not the machine's.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-3));
        var silo = await RecordingSilo.StartAsync();
        await using var gateway = await TestGateway.StartAsync(silo, configureBuilder: b => b.Services.AddSingleton<TimeProvider>(clock));
        await Json.PostAsync(gateway.Server, "/v1/events", "{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"view\"}");

        var e = Assert.Single(silo.Received);
        Assert.Equal(clock.GetUtcNow().UtcDateTime, e.Timestamp);
        Assert.Equal(DateTimeKind.Utc, e.Timestamp.Kind);
    }

    [Fact]
    public async Task TimestampWithAnOffsetIsConvertedToUtc()
    {
        var local = DateTime.UtcNow.AddMinutes(-10);
        var text = new DateTimeOffset(local).ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-ddTHH:mm:ss.fffzzz");
        await Json.PostAsync(_gateway.Server, "/v1/events", $"{{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"view\",\"timestamp\":\"{text}\"}}");

        var e = Assert.Single(Silo.Received);
        Assert.Equal(local, e.Timestamp, TimeSpan.FromMilliseconds(2));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{\"eventId\": ")]
    [InlineData("\"just a string\"")]
    [InlineData("nonsense")]
    public async Task BodyWithNothingParseableIsA400Problem(string body)
    {
        var (response, problem) = await Json.PostAsync(_gateway.Server, "/v1/events", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(400, (int)problem!["status"]!);
        Assert.Contains("expected", (string?)problem["detail"]);
        Assert.Empty(Silo.Received);
    }

    [Fact]
    public async Task SyntaxErrorInsideAnArrayKeepsTheEventsBeforeIt()
    {
        var body = "[" + Json.Event("u1", "e1").ToJsonString() + "," + Json.Event("u1", "e2").ToJsonString() + ", {\"eventId\": \"e3\", oops}, " + Json.Event("u1", "e4").ToJsonString() + "]";

        var (response, answer) = await Json.PostAsync(_gateway.Server, "/v1/events", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = answer!["results"]!.AsArray();
        Assert.Equal(["accepted", "accepted", "rejected"], results.Select(r => (string)r!["status"]!));
        Assert.Equal("malformed-json", (string?)results[2]!["reason"]);
        Assert.Contains("nothing after it was read", (string?)results[2]!["detail"]);
        Assert.Equal(["e1", "e2"], Silo.Received.Select(e => e.EventId!));
    }

    [Fact]
    public async Task OversizedBodyIs413()
    {
        await using var gateway = await TestGateway.StartAsync(configure: o => o.MaxBodyBytes = 4096);
        var batch = new JsonArray([.. Enumerable.Range(0, 100).Select(i => (JsonNode)Json.Event("u", $"e{i}"))]);

        var (response, problem) = await Json.PostAsync(gateway.Server, "/v1/events", batch.ToJsonString());

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("4,096 bytes", (string?)problem!["detail"]);
        Assert.Empty(((RecordingSilo)gateway.Silo).Received);
    }

    [Fact]
    public async Task TooManyEventsIs413AndNothingIsApplied()
    {
        await using var gateway = await TestGateway.StartAsync(configure: o => o.MaxEventsPerRequest = 3);
        var batch = new JsonArray([.. Enumerable.Range(0, 4).Select(i => (JsonNode)Json.Event("u", $"e{i}"))]);

        var (response, problem) = await Json.PostAsync(gateway.Server, "/v1/events", batch.ToJsonString());

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("at most 3", (string?)problem!["detail"]);
        Assert.Empty(((RecordingSilo)gateway.Silo).Received);
    }

    [Fact]
    public async Task UnsupportedContentTypeIs415()
    {
        var (response, problem) = await Json.PostAsync(_gateway.Server, "/v1/events", "a,b,c", "text/csv");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/x-ndjson", (string?)problem!["detail"]);
    }

    [Fact]
    public async Task OverloadedSiloAnswers503WithRetryAfterAndPerEventResults()
    {
        Silo.Saturated = true;

        var (response, problem) = await Json.PostAsync(_gateway.Server, "/v1/events", new JsonArray(Json.Event("u", "e1"), Json.Event("u", "e2")).ToJsonString());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal(["overloaded", "overloaded"], problem!["results"]!.AsArray().Select(r => (string)r!["status"]!));
    }

    [Fact]
    public async Task EventsBeyondTheSilosQueueAreAnsweredOverloadedWithRetryAfter()
    {
        var silo = await RecordingSilo.StartAsync(new Silo.SiloOptions { QueueCapacity = 1, BatchSize = 1 });
        await using var gateway = await TestGateway.StartAsync(silo);
        var batch = new JsonArray([.. Enumerable.Range(0, 200).Select(i => (JsonNode)Json.Event("u", $"e{i}"))]);

        var (response, answer) = await Json.PostAsync(gateway.Server, "/v1/events", batch.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        var statuses = answer!["results"]!.AsArray().Select(r => (string)r!["status"]!).ToArray();
        Assert.Equal("accepted", statuses[0]);
        Assert.Contains("overloaded", statuses);
        Assert.Equal(statuses.Count(s => s == "overloaded"), (int)answer["overloaded"]!);
        var firstRefused = Array.IndexOf(statuses, "overloaded");
        Assert.All(statuses[firstRefused..], s => Assert.Equal("overloaded", s));
    }

    [Fact]
    public async Task RetriedEventIsAnsweredDuplicate()
    {
        var body = Json.Event("u1", "e1").ToJsonString();
        await Json.PostAsync(_gateway.Server, "/v1/events", body);

        var (_, answer) = await Json.PostAsync(_gateway.Server, "/v1/events", body);

        Assert.Equal("duplicate", (string?)answer!["results"]![0]!["status"]);
        Assert.Equal(1, (int)answer["duplicate"]!);
    }

    [Fact]
    public async Task SignalsAreRecordedButNeverStepTheModel()
    {
        await Json.PostAsync(_gateway.Server, "/v1/events", Json.Event("u1", "e1").ToJsonString());

        var (_, answer) = await Json.PostAsync(_gateway.Server, "/v1/events", new JsonArray(Json.Signal("u1", "s1", "dwell", 5400), Json.Signal("u1", "s2", "scroll", 75)).ToJsonString());

        var results = answer!["results"]!.AsArray();
        Assert.All(results, r => Assert.Equal("accepted", (string?)r!["status"]));
        Assert.All(results, r => Assert.Null(r!["score"]));
        Assert.Equal("dwell", (string?)results[0]!["signal"]);
        Assert.Single(Silo.Received);
        var (_, user) = await Json.GetAsync(_gateway.Server, "/v1/users/u1");
        var signals = user!["signals"]!.AsArray();
        Assert.Equal(["dwell", "scroll"], signals.Select(s => (string)s!["name"]!));
        Assert.Equal(5400, (double)signals[0]!["value"]!);
        Assert.Equal(1, (int)user["eventsApplied"]!);
    }

    [Fact]
    public async Task AnswerCountsAddUp()
    {
        var batch = new JsonArray(Json.Event("u1", "e1"), Json.Event("u1", "e1"), new JsonObject { ["userId"] = "u1" }, Json.Signal("u1", "s1", "dwell", 1));

        var (_, answer) = await Json.PostAsync(_gateway.Server, "/v1/events", batch.ToJsonString());

        Assert.Equal(4, (int)answer!["received"]!);
        Assert.Equal(2, (int)answer["accepted"]!);
        Assert.Equal(1, (int)answer["duplicate"]!);
        Assert.Equal(1, (int)answer["rejected"]!);
    }
}
