using System.Net;
using System.Net.WebSockets;

namespace MicroMoment.Gateway.Tests;

public sealed class AuthTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await TestGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Theory]
    [InlineData("/v1/users/u1")]
    [InlineData("/metrics")]
    public async Task RequestWithoutAKeyIs401Problem(string path)
    {
        var (response, problem) = await Json.GetAsync(_gateway.Anonymous, path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Missing API key", (string?)problem!["title"]);
        Assert.Contains("Authorization: Bearer", (string?)problem["detail"]);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task WrongKeyIs401AndNothingIsIngested()
    {
        using var client = _gateway.Client("mm_sk_not_a_real_key_000000");

        var (response, problem) = await Json.PostAsync(client, "/v1/events", Json.Event("u", "e").ToJsonString());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Invalid API key", (string?)problem!["title"]);
        Assert.Empty(((RecordingSilo)_gateway.Silo).Received);
    }

    [Theory]
    [InlineData("GET", "/v1/users/u1")]
    [InlineData("DELETE", "/v1/users/u1")]
    [InlineData("POST", "/v1/users/u1/consent")]
    [InlineData("POST", "/v1/offers/shop1~o1/feedback")]
    [InlineData("GET", "/metrics")]
    public async Task PublishableKeyOnAServerRouteIs403(string method, string path)
    {
        using var client = _gateway.Client(TestGateway.PublishableKey);

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}") });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("server key", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PublishableKeyMaySendEventsInTheQueryString()
    {
        var (response, answer) = await Json.PostAsync(_gateway.Anonymous, $"/v1/events?key={TestGateway.PublishableKey}&shopperToken={Uri.EscapeDataString(TestGateway.ShopperToken("u"))}", Json.Event("u", "e").ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (int)answer!["accepted"]!);
    }

    [Fact]
    public async Task ServerKeyInTheQueryStringIsRefused()
    {
        var (response, problem) = await Json.GetAsync(_gateway.Anonymous, $"/v1/users/u1?key={TestGateway.ServerKey}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("must not travel in URLs", (string?)problem!["detail"]);
    }

    [Fact]
    public async Task KeyHeaderWorksLikeBearer()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = new StringContent(Json.Event("u", "e").ToJsonString()) };
        request.Headers.Add("X-MicroMoment-Key", TestGateway.ServerKey);

        var response = await _gateway.Anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task HealthAndTrackerNeedNoKey()
    {
        Assert.Equal(HttpStatusCode.OK, (await _gateway.Anonymous.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _gateway.Anonymous.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _gateway.Anonymous.GetAsync("/tracker.js")).StatusCode);
    }

    [Fact]
    public async Task WebSocketWithoutAKeyIsRefused()
    {
        using var socket = new ClientWebSocket();
        var uri = new UriBuilder(_gateway.Host.BaseAddress) { Scheme = "ws", Path = "/v1/stream" }.Uri;

        var error = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None));

        Assert.Contains("401", error.Message);
    }

    [Fact]
    public void OptionsWithoutAServerKeyFailValidationNamingTheProblem()
    {
        var options = new GatewayOptions { Keys = [new GatewayKey { Key = TestGateway.PublishableKey, Kind = GatewayKeyKind.Publishable }] };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("at least one server key", error.Message);
    }

    [Theory]
    [InlineData("short", "shop", "at least 16 characters")]
    [InlineData("mm_sk_0123456789abcdef", "bad tenant!", "tenant 'bad tenant!'")]
    public void InvalidKeysFailValidation(string key, string tenant, string expected)
    {
        var options = new GatewayOptions { Keys = [new GatewayKey { Key = key, Tenant = tenant }] };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains(expected, error.Message);
    }
}
