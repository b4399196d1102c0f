using System.Net;
using System.Text.Json.Nodes;
using MicroMoment.Gateway.Ingestion;

namespace MicroMoment.Gateway.Tests;

public sealed class UsersApiTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await TestGateway.StartAsync(await RecordingSilo.StartAsync(RecordingSilo.BuyPathOptions));

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private Task<(HttpResponseMessage Response, JsonNode? Body)> SendAsync(params JsonObject[] events) =>
        Json.PostAsync(_gateway.Server, "/v1/events", new JsonArray(events).ToJsonString());

    [Fact]
    public async Task UserViewShowsTheSessionWithTheScoresTheEventsGot()
    {
        var (_, answer) = await SendAsync(Json.Event("u1", "e1"), Json.Event("u1", "e2", "cart"));

        var (response, user) = await Json.GetAsync(_gateway.Server, "/v1/users/u1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var timeline = user!["timeline"]!.AsArray();
        Assert.Equal(["e1", "e2"], timeline.Select(t => (string)t!["eventId"]!));
        Assert.Equal(["view", "cart"], timeline.Select(t => (string)t!["type"]!));
        Assert.Equal((float)answer!["results"]![1]!["score"]!["buy"]!, (float)user["latest"]!["buy"]!);
        Assert.Equal((string?)answer["results"]![1]!["score"]!["intent"], (string?)user["intent"]);
        Assert.True((bool)user["consent"]!["tracking"]!);
        Assert.Single(user["activeOffers"]!.AsArray());
        Assert.Equal(2, (int)user["eventsApplied"]!);
    }

    [Fact]
    public async Task UnknownUserIs404Problem()
    {
        var (response, problem) = await Json.GetAsync(_gateway.Server, "/v1/users/nobody");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("'nobody'", (string?)problem!["detail"]);
    }

    [Fact]
    public async Task WithdrawingTrackingMakesLaterEventsOptedOutAndDropsSignals()
    {
        await SendAsync(Json.Event("u1", "e1"), Json.Signal("u1", "s1", "dwell", 10));

        var (consent, body) = await Json.PostAsync(_gateway.Server, "/v1/users/u1/consent", "{\"tracking\": false, \"offers\": false}");
        var (_, answer) = await SendAsync(Json.Event("u1", "e2"), Json.Signal("u1", "s2", "scroll", 50));

        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        Assert.False((bool)body!["tracking"]!);
        Assert.Equal(["opted_out", "opted_out"], answer!["results"]!.AsArray().Select(r => (string)r!["status"]!));
        Assert.Equal(2, (int)answer["optedOut"]!);
        var signals = _gateway.Host.App.Services.GetService(typeof(SignalStore)) as SignalStore;
        Assert.Empty(signals!.Recent(TestGateway.Tenant, "u1"));
    }

    [Fact]
    public async Task WithdrawingOffersKeepsScoringButFiresNothing()
    {
        await Json.PostAsync(_gateway.Server, "/v1/users/u1/consent", "{\"tracking\": true, \"offers\": false}");

        var (_, answer) = await SendAsync(Json.Event("u1", "e1"), Json.Event("u1", "e2", "cart"));

        var decision = answer!["results"]![1]!["decision"]!;
        Assert.False((bool)decision["fired"]!);
        Assert.Equal("no-consent", (string?)decision["suppressedBecause"]);
        // Still scored: both events reached the grain, and the score answered is the one the shopper's view keeps.
        var (_, user) = await Json.GetAsync(_gateway.Server, "/v1/users/u1");
        Assert.Equal(2, (int)user!["eventsApplied"]!);
        Assert.Equal((float)answer["results"]![1]!["score"]!["buy"]!, (float)user["latest"]!["buy"]!);
        Assert.Empty(user["activeOffers"]!.AsArray());
    }

    [Theory]
    [InlineData("{\"tracking\": true}", "missing offers")]
    [InlineData("{\"tracking\": \"yes\", \"offers\": true}", "not true or false")]
    [InlineData("[true, true]", "not a JSON object")]
    [InlineData("{tracking", "expected {\"tracking\"")]
    public async Task ConsentBodyMustGiveBothFlags(string body, string expected)
    {
        var (response, problem) = await Json.PostAsync(_gateway.Server, "/v1/users/u1/consent", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (string?)problem!["detail"]);
    }

    [Fact]
    public async Task EraseForgetsTheUserAndTheirSignals()
    {
        await SendAsync(Json.Event("u1", "e1"), Json.Signal("u1", "s1", "dwell", 10));

        var erase = await _gateway.Server.DeleteAsync("/v1/users/u1");
        var body = JsonNode.Parse(await erase.Content.ReadAsStringAsync());
        var (after, _) = await Json.GetAsync(_gateway.Server, "/v1/users/u1");
        var again = JsonNode.Parse(await (await _gateway.Server.DeleteAsync("/v1/users/u1")).Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
        Assert.True((bool)body!["erased"]!);
        Assert.Equal(1, (int)body["signalsErased"]!);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        Assert.False((bool)again!["erased"]!);
    }

    [Fact]
    public async Task FeedbackOverHttpFollowsTheOfferStates()
    {
        var (_, answer) = await SendAsync(Json.Event("u1", "e1"), Json.Event("u1", "e2", "cart"));
        var id = (string)answer!["results"]![1]!["decision"]!["offer"]!["id"]!;

        var (shown, body) = await Json.PostAsync(_gateway.Server, $"/v1/offers/{Uri.EscapeDataString(id)}/feedback", "{\"feedback\": \"shown\"}");
        var (clicked, _) = await Json.PostAsync(_gateway.Server, $"/v1/offers/{Uri.EscapeDataString(id)}/feedback", "{\"feedback\": \"clicked\"}");
        var (dismissed, conflict) = await Json.PostAsync(_gateway.Server, $"/v1/offers/{Uri.EscapeDataString(id)}/feedback", "{\"feedback\": \"dismissed\"}");

        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Equal("recorded", (string?)body!["outcome"]);
        Assert.Equal(HttpStatusCode.OK, clicked.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, dismissed.StatusCode);
        Assert.Contains("cannot move to 'dismissed'", (string?)conflict!["detail"]);
    }

    [Theory]
    [InlineData("shop1~o999", "{\"feedback\": \"shown\"}", HttpStatusCode.NotFound)]
    [InlineData("othershop~o1", "{\"feedback\": \"shown\"}", HttpStatusCode.NotFound)]
    [InlineData("shop1~o1", "{\"feedback\": \"loved\"}", HttpStatusCode.BadRequest)]
    [InlineData("shop1~o1", "not json", HttpStatusCode.BadRequest)]
    public async Task BadFeedbackIsAProblem(string offerId, string body, HttpStatusCode expected)
    {
        await SendAsync(Json.Event("u1", "e1"), Json.Event("u1", "e2", "cart"));

        var (response, problem) = await Json.PostAsync(_gateway.Server, $"/v1/offers/{Uri.EscapeDataString(offerId)}/feedback", body);

        Assert.Equal(expected, response.StatusCode);
        Assert.False(string.IsNullOrEmpty((string?)problem!["detail"]));
    }
}
