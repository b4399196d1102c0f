using System.Net;

namespace MicroMoment.Gateway.Tests;

public sealed class RateLimitTests
{
    [Fact]
    public async Task KeyBeyondItsBucketGets429WithRetryAfter()
    {
        await using var gateway = await TestGateway.StartAsync(configure: o => o.ServerRateLimit = new TokenBucketSettings { PerSecond = 1, Burst = 2 });

        // The bucket refills one token per second on its own timer: on a slow machine a refill may land between
        // requests, so send until the first refusal and check the burst was honoured and nothing refused went through.
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 10 && limited is null; i++)
        {
            var (response, _) = await Json.PostAsync(gateway.Server, "/v1/events", Json.Event("u", $"e{i}").ToJsonString());
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited = response;
        }

        Assert.NotNull(limited);
        Assert.True(statuses.Count >= 3, $"expected the burst of 2 to pass before a refusal; statuses were {string.Join(", ", statuses)}");
        Assert.All(statuses.Take(statuses.Count - 1), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(TimeSpan.FromSeconds(1), limited!.Headers.RetryAfter?.Delta);
        var problem = System.Text.Json.Nodes.JsonNode.Parse(await limited.Content.ReadAsStringAsync());
        Assert.Contains("1 requests per second", (string?)problem!["detail"]);
        Assert.Equal(Enumerable.Range(0, statuses.Count - 1).Select(i => $"e{i}"), ((RecordingSilo)gateway.Silo).Received.Select(e => e.EventId!));
        Assert.Equal(1, gateway.Host.Metrics.RateLimited("server"));
    }

    [Fact]
    public async Task EachKeyHasItsOwnBucket()
    {
        await using var gateway = await TestGateway.StartAsync(configure: o =>
        {
            o.ServerRateLimit = new TokenBucketSettings { PerSecond = 1, Burst = 1 };
            o.PublishableRateLimit = new TokenBucketSettings { PerSecond = 1, Burst = 1 };
        });
        using var publishable = gateway.Shopper("u");

        var (first, _) = await Json.PostAsync(gateway.Server, "/v1/events", Json.Event("u", "e1").ToJsonString());
        var (second, _) = await Json.PostAsync(gateway.Server, "/v1/events", Json.Event("u", "e2").ToJsonString());
        var (other, _) = await Json.PostAsync(publishable, "/v1/events", Json.Event("u", "e3").ToJsonString());

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task HealthIsNeverRateLimited()
    {
        await using var gateway = await TestGateway.StartAsync(configure: o => o.ServerRateLimit = new TokenBucketSettings { PerSecond = 1, Burst = 1 });

        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await gateway.Server.GetAsync("/healthz")).StatusCode);
    }
}
