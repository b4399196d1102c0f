using MicroMoment.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MicroMoment.Gateway.Tests;

public sealed class ClientTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;
    private MicroMomentClient _server = null!;

    public async Task InitializeAsync()
    {
        _gateway = await TestGateway.StartAsync(await RecordingSilo.StartAsync(RecordingSilo.BuyPathOptions));
        _server = new MicroMomentClient(_gateway.Host.BaseAddress, TestGateway.ServerKey);
    }

    public async Task DisposeAsync()
    {
        _server.Dispose();
        await _gateway.DisposeAsync();
    }

    private static ShopperEvent View(string user, string? id = null, EventKind type = EventKind.View) => new()
    {
        EventId = id,
        UserId = user,
        Type = type,
        Timestamp = DateTimeOffset.UtcNow,
        ProductId = 1001,
        CategoryId = 2053013555631882655,
        CategoryCode = "electronics.smartphone",
        Brand = "acme",
        Price = 199.99,
        Context = new ShopperContext(Device: "desktop", Page: "product"),
    };

    [Fact]
    public async Task BatchComesBackTypedWithScoresAndTheFiredOffer()
    {
        var result = await _server.SendBatchAsync([View("c1", "e1"), View("c1", "e2", EventKind.Cart)]);

        Assert.Equal(2, result.Accepted);
        Assert.Equal([EventStatus.Accepted, EventStatus.Accepted], result.Results.Select(r => r.Status));
        var received = ((RecordingSilo)_gateway.Silo).Received;
        var scorer = new Scoring.SessionScorer(BundledModel.Model); // the model's own scores of what the silo received
        for (var i = 0; i < 2; i++)
        {
            var expected = scorer.Score(received[i]);
            Assert.Equal(expected.BuyProbability, result.Results[i].Score!.Buy!.Value, 1e-5f);
            Assert.Equal(expected.Intent.ToString(), result.Results[i].Score!.Intent.ToString());
        }
        var offer = Assert.Single(result.Offers);
        Assert.Equal(OfferKind.Discount, offer.Type);
        Assert.Equal(OfferStatus.Proposed, offer.State);
        Assert.Equal(2053013555631882655L, received[0].CategoryId);
        Assert.Equal(199.99f, received[0].Price);
    }

    [Fact]
    public async Task EventsWithoutIdsGetOneSoARetryIsADuplicate()
    {
        var first = await _server.SendAsync(View("c1"));
        var id = first.Results[0].EventId!;

        var retry = await _server.SendAsync(View("c1", id));

        Assert.Equal(32, id.Length);
        Assert.Equal(EventStatus.Duplicate, retry.Results[0].Status);
    }

    [Fact]
    public async Task RejectedEventsComeBackWithReasonAndDetail()
    {
        var result = await _server.SendAsync(View("c1", "e1") with { Timestamp = DateTimeOffset.UtcNow.AddHours(2) });

        var r = Assert.Single(result.Results);
        Assert.Equal(EventStatus.Rejected, r.Status);
        Assert.Equal("timestamp-in-future", r.Reason);
        Assert.Contains("minutes in the future", r.Detail);
    }

    [Fact]
    public async Task UserStateFeedbackConsentAndEraseRoundTrip()
    {
        var sent = await _server.SendBatchAsync([View("c1", "e1"), View("c1", "e2", EventKind.Cart)]);
        var offer = sent.Offers.Single();

        var state = await _server.GetUserAsync("c1");
        var shown = await _server.RecordFeedbackAsync(offer.Id, FeedbackKind.Shown);
        var conflict = await Assert.ThrowsAsync<MicroMomentApiException>(() => _server.RecordFeedbackAsync(offer.Id, FeedbackKind.Shown));
        var consent = await _server.SetConsentAsync("c1", tracking: true, offers: false);
        var erased = await _server.EraseUserAsync("c1");
        var gone = await _server.GetUserAsync("c1");

        Assert.NotNull(state);
        Assert.Equal(["e1", "e2"], state.Timeline.Select(t => t.EventId!));
        Assert.Equal(sent.Results[1].Score!.Buy, state.Latest!.Buy);
        Assert.Equal(FeedbackOutcome.Recorded, shown.Outcome);
        Assert.Equal(409, conflict.Status);
        Assert.Equal("Invalid transition", conflict.Title);
        Assert.False(consent.Offers);
        Assert.True(erased.Erased);
        Assert.Null(gone);
    }

    [Fact]
    public async Task PublishableKeyOnAServerCallThrowsWithTheProblem()
    {
        using var publishable = new MicroMomentClient(_gateway.Host.BaseAddress, TestGateway.PublishableKey);

        var error = await Assert.ThrowsAsync<MicroMomentApiException>(() => publishable.GetUserAsync("c1"));

        Assert.Equal(403, error.Status);
        Assert.Contains("server key", error.Detail);
    }

    [Fact]
    public async Task RateLimitBecomesRateLimitedExceptionWithRetryAfter()
    {
        await using var gateway = await TestGateway.StartAsync(configure: o => o.ServerRateLimit = new TokenBucketSettings { PerSecond = 1, Burst = 1 });
        // No retries: a first event answered overloaded on a loaded machine would be retried past the bucket's refill.
        using var client = new MicroMomentClient(gateway.Host.BaseAddress, TestGateway.ServerKey) { Retry = MicroMomentRetryOptions.None };
        await client.SendAsync(View("c1", "e1"));

        var error = await Assert.ThrowsAsync<RateLimitedException>(() => client.SendAsync(View("c1", "e2")));

        Assert.Equal(429, error.Status);
        Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter);
    }

    [Fact]
    public async Task SaturatedSiloBecomesOverloadedExceptionWithPerEventResults()
    {
        ((RecordingSilo)_gateway.Silo).Saturated = true;
        _server.Retry = MicroMomentRetryOptions.None;

        var error = await Assert.ThrowsAsync<OverloadedException>(() => _server.SendBatchAsync([View("c1", "e1"), View("c1", "e2")]));

        Assert.Equal(503, error.Status);
        Assert.Equal([EventStatus.Overloaded, EventStatus.Overloaded], error.Results.Select(r => r.Status));
        Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter);
    }

    [Fact]
    public async Task StreamAcksBatchesAndYieldsTheShoppersOffers()
    {
        using var publishable = new MicroMomentClient(_gateway.Host.BaseAddress, TestGateway.PublishableKey) { ShopperToken = TestGateway.ShopperToken("c1") };
        var seen = new List<Offer>();
        await using var stream = await publishable.OpenStreamAsync("c1", seen.Add);

        var ack = await stream.SendAsync([View("c1", "e1"), View("c1", "e2", EventKind.Cart)]);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Offer? offer = null;
        await foreach (var o in stream.ReadOffersAsync(wait.Token))
        {
            offer = o;
            break;
        }
        var feedback = await stream.SendFeedbackAsync(offer!.Id, FeedbackKind.Shown);

        Assert.Equal(2, ack.Accepted);
        Assert.Equal(ack.Offers.Single().Id, offer.Id);
        Assert.Equal(offer.Id, Assert.Single(seen).Id);
        Assert.Equal(FeedbackOutcome.Recorded, feedback.Outcome);
    }

    [Fact]
    public async Task StreamOfferPushedForEventsSentOverHttp()
    {
        using var publishable = new MicroMomentClient(_gateway.Host.BaseAddress, TestGateway.PublishableKey) { ShopperToken = TestGateway.ShopperToken("c2") };
        await using var stream = await publishable.OpenStreamAsync("c2");

        var sent = await _server.SendBatchAsync([View("c2", "e1"), View("c2", "e2", EventKind.Cart)]);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var enumerator = stream.ReadOffersAsync(wait.Token).GetAsyncEnumerator(wait.Token);
        Assert.True(await enumerator.MoveNextAsync());

        Assert.Equal(sent.Offers.Single().Id, enumerator.Current.Id);
        await enumerator.DisposeAsync();
    }

    [Fact]
    public async Task StreamRateLimitThrowsRateLimitedException()
    {
        // A frozen clock: the bucket cannot refill between the two sends however slowly the machine runs them.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await TestGateway.StartAsync(
            configure: o => o.StreamMessageRateLimit = new TokenBucketSettings { PerSecond = 1, Burst = 1 },
            configureBuilder: b => b.Services.AddSingleton<TimeProvider>(clock));
        using var client = new MicroMomentClient(gateway.Host.BaseAddress, TestGateway.PublishableKey) { ShopperToken = TestGateway.ShopperToken("c1") };
        await using var stream = await client.OpenStreamAsync();
        await stream.SendAsync([View("c1", "e1")]);

        var error = await Assert.ThrowsAsync<RateLimitedException>(() => stream.SendAsync([View("c1", "e2")]));

        Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter);
    }

    [Fact]
    public async Task StreamWithAWrongKeyIsRefusedWith401()
    {
        using var client = new MicroMomentClient(_gateway.Host.BaseAddress, "mm_pk_wrong_key_00000000000");

        var error = await Assert.ThrowsAsync<MicroMomentApiException>(() => client.OpenStreamAsync());

        Assert.Equal(401, error.Status);
    }
}
