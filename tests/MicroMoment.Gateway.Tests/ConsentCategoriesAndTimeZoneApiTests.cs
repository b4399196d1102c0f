using System.Net;
using System.Text.Json.Nodes;
using MicroMoment.Client;
using MicroMoment.Silo;

namespace MicroMoment.Gateway.Tests;

public sealed class ConsentCategoriesAndTimeZoneApiTests : IAsyncLifetime
{
    private const string Policy = """
        version: cat-1
        maxOffersPerSession: 100
        rules:
          - { name: newsletter, intent: buy, offer: recommendation, consent: marketing, thresholds: { default: 0.000001 } }
        """;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mm-gw-consent-" + Guid.NewGuid().ToString("N"));
    private TestGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        string path = Path.Combine(_dir, "policy.yaml");
        await File.WriteAllTextAsync(path, Policy);
        _gateway = await TestGateway.StartAsync(await RecordingSilo.StartAsync(new SiloOptions { PolicyPath = path }));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<JsonNode> DecisionAsync(JsonObject e)
    {
        var (_, answer) = await Json.PostAsync(_gateway.Server, "/v1/events", new JsonArray(e).ToJsonString());
        var result = answer!["results"]![0]!;
        Assert.Equal("accepted", (string?)result["status"]);
        return result["decision"]!;
    }

    private static JsonObject Zoned(string user, string id, JsonNode? zone)
    {
        var e = Json.Event(user, id);
        e["context"]!["timeZone"] = zone;
        return e;
    }

    [Fact]
    public async Task AMarketingRuleFiresOnlyOnceTheShopperGrantsMarketing()
    {
        var (first, granted) = await Json.PostAsync(_gateway.Server, "/v1/users/u1/consent", """{"tracking": true, "offers": true, "categories": ["offers"]}""");
        var before = await DecisionAsync(Json.Event("u1", "e1"));
        var (second, more) = await Json.PostAsync(_gateway.Server, "/v1/users/u1/consent", """{"tracking": true, "categories": ["offers", "marketing", "marketing"]}""");
        var after = await DecisionAsync(Json.Event("u1", "e2"));
        var (_, user) = await Json.GetAsync(_gateway.Server, "/v1/users/u1");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(["offers"], granted!["categories"]!.AsArray().Select(c => (string)c!));
        Assert.False((bool)before["fired"]!);
        Assert.Equal("no-consent", (string?)before["suppressedBecause"]);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.True((bool)more!["offers"]!);
        Assert.Equal(["marketing", "offers"], more["categories"]!.AsArray().Select(c => (string)c!));
        Assert.True((bool)after["fired"]!);
        Assert.Equal(["marketing", "offers"], user!["consent"]!["categories"]!.AsArray().Select(c => (string)c!));
        Assert.True((bool)user["consent"]!["offers"]!);
    }

    [Fact]
    public async Task AnOldStyleConsentRequestGrantsOrWithdrawsExactlyTheOffersCategory()
    {
        await Json.PostAsync(_gateway.Server, "/v1/users/u2/consent", """{"tracking": true, "categories": ["offers", "marketing"]}""");
        var (withdrawn, body) = await Json.PostAsync(_gateway.Server, "/v1/users/u2/consent", """{"tracking": true, "offers": false}""");
        var (_, user) = await Json.GetAsync(_gateway.Server, "/v1/users/u2");
        var suppressed = await DecisionAsync(Json.Event("u2", "e1"));
        var (granted, again) = await Json.PostAsync(_gateway.Server, "/v1/users/u2/consent", """{"tracking": true, "offers": true}""");

        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Assert.False((bool)body!["offers"]!);
        Assert.Empty(body["categories"]!.AsArray());
        Assert.Empty(user!["consent"]!["categories"]!.AsArray());
        Assert.Equal("no-consent", (string?)suppressed["suppressedBecause"]);
        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        Assert.Equal(["offers"], again!["categories"]!.AsArray().Select(c => (string)c!));
    }

    [Theory]
    [InlineData("""{"tracking": true, "categories": ["offers", "Marketing"]}""", "Invalid consent categories", "\"categories[1]\": 'Marketing' is not a category name; expected a lower-case name")]
    [InlineData("""{"tracking": true, "categories": ["e mail"]}""", "Invalid consent categories", "\"categories[0]\": 'e mail'")]
    [InlineData("""{"tracking": true, "categories": ["offers", 5]}""", "Invalid consent categories", "\"categories[1]\" is a JSON number; expected a string")]
    [InlineData("""{"tracking": true, "categories": "offers"}""", "Invalid consent categories", "\"categories\" is a JSON string; expected an array")]
    [InlineData("""{"tracking": true, "categories": ["none"]}""", "Invalid consent categories", "'none' is reserved")]
    [InlineData("""{"tracking": true, "categories": ["c1","c2","c3","c4","c5","c6","c7","c8","c9","c10","c11","c12","c13","c14","c15","c16","c17"]}""", "Invalid consent categories", "more than 16 distinct categories; expected at most 16")]
    [InlineData("""{"tracking": true, "offers": false, "categories": ["offers"]}""", "Conflicting consent", "\"offers\" is false but \"categories\" includes \"offers\"")]
    [InlineData("""{"tracking": true, "categories": null}""", "Incomplete consent", "missing offers")]
    public async Task InvalidCategoriesAreProblemsThatNameTheField(string body, string title, string expected)
    {
        var (response, problem) = await Json.PostAsync(_gateway.Server, "/v1/users/u3/consent", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(title, (string?)problem!["title"]);
        Assert.Contains(expected, (string?)problem["detail"]);
        Assert.Equal(HttpStatusCode.NotFound, (await Json.GetAsync(_gateway.Server, "/v1/users/u3")).Response.StatusCode); // nothing applied
    }

    [Fact]
    public async Task TheEventsTimeZoneIsRememberedAndAnUnknownOneIsAcceptedIgnoredAndCounted()
    {
        await DecisionAsync(Zoned("u4", "e1", "Asia/Tokyo"));
        await DecisionAsync(Zoned("u4", "e2", "Mars/Olympus_Mons"));
        var (_, user) = await Json.GetAsync(_gateway.Server, "/v1/users/u4");
        var (_, answer) = await Json.PostAsync(_gateway.Server, "/v1/events", new JsonArray(Zoned("u4", "e3", 9)).ToJsonString());
        var metrics = await _gateway.Server.GetStringAsync("/metrics");

        Assert.Equal("Asia/Tokyo", (string?)user!["timeZone"]);
        var rejected = answer!["results"]![0]!;
        Assert.Equal("rejected", (string?)rejected["status"]);
        Assert.Equal("invalid-field", (string?)rejected["reason"]);
        Assert.Contains("context.timeZone", (string?)rejected["detail"]);
        Assert.Equal(1, Dashboard.PrometheusText.Value(metrics, "micromoment_grain_unknown_time_zones_total"));
    }

    [Fact]
    public async Task ThePolicyRouteShowsTheCategoryEachRuleNeeds()
    {
        var (_, policy) = await Json.GetAsync(_gateway.Server, "/v1/policy");

        Assert.Equal("marketing", (string?)policy!["rules"]![0]!["consent"]);
    }

    [Fact]
    public async Task TheClientSendsCategoriesAndTheShoppersTimeZone()
    {
        using var client = new MicroMomentClient(_gateway.Host.BaseAddress, TestGateway.ServerKey);
        var consent = await client.SetConsentAsync("c1", tracking: true, categories: ["marketing", "offers"]);
        var sent = await client.SendBatchAsync([new ShopperEvent
        {
            UserId = "c1", Type = EventKind.View, Timestamp = DateTimeOffset.UtcNow.AddSeconds(-2), ProductId = 1001, Price = 10,
            Context = new ShopperContext(Page: "product", TimeZone: "Europe/Berlin"),
        }]);
        var state = await client.GetUserAsync("c1");
        var bad = await Assert.ThrowsAsync<MicroMomentApiException>(() => client.SetConsentAsync("c1", tracking: true, categories: ["Offers"]));

        Assert.True(consent.Offers);
        Assert.Equal(["marketing", "offers"], consent.Categories!);
        Assert.Single(sent.Offers);
        Assert.Equal("Europe/Berlin", state!.TimeZone);
        Assert.Equal(["marketing", "offers"], state.Consent.Categories!);
        Assert.Equal(400, bad.Status);
        Assert.Contains("categories[0]", bad.Detail);
    }
}
