using MicroMoment.Client;

namespace MicroMoment.Gateway.Tests;

/// <summary>The .NET client's own retries of event sends (<see cref="MicroMomentRetryOptions"/>) against a real gateway.</summary>
public sealed class ClientRetryTests : IAsyncLifetime
{
    private static readonly MicroMomentRetryOptions Quick = new() { MaxRetryAttempts = 100, BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(100) };
    private TestGateway _gateway = null!;
    private RecordingSilo Silo => (RecordingSilo)_gateway.Silo;

    public async Task InitializeAsync() => _gateway = await TestGateway.StartAsync(await RecordingSilo.StartAsync());

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private static ShopperEvent View(string user, string id) => new() { EventId = id, UserId = user, Type = EventKind.View, ProductId = 1001, Price = 199 };

    [Fact]
    public async Task OverloadedEventsAreResentWithTheirIdsUntilTheSiloTakesThem()
    {
        using var client = new MicroMomentClient(_gateway.Host.BaseAddress, TestGateway.ServerKey) { Retry = Quick };
        Silo.Saturated = true;

        var sending = client.SendBatchAsync([View("r1", "r1-a"), View("r1", "r1-b")]);
        await Task.Delay(300);
        Assert.False(sending.IsCompleted, "the client keeps retrying while the silo answers overloaded");
        Silo.Saturated = false;
        var result = await sending;

        Assert.Equal([EventStatus.Accepted, EventStatus.Accepted], result.Results.Select(r => r.Status));
        Assert.Equal([0, 1], result.Results.Select(r => r.Index));
        Assert.Equal(2, result.Accepted);
        Assert.Equal(0, result.Overloaded);
        var received = Silo.Received.Where(e => e.UserId == "r1").Select(e => e.EventId).ToList();
        Assert.Equal(["r1-a", "r1-b"], received.Distinct());
        Assert.True(received.Count > 2, "the events were resent (the silo saw them more than once)");
    }

    [Fact]
    public async Task RetriesEndAfterTheLimitWithTheEventsStillOverloaded()
    {
        using var client = new MicroMomentClient(_gateway.Host.BaseAddress, TestGateway.ServerKey) { Retry = Quick with { MaxRetryAttempts = 2 } };
        Silo.Saturated = true;

        var error = await Assert.ThrowsAsync<OverloadedException>(() => client.SendBatchAsync([View("r2", "r2-a")]));

        Assert.Equal(EventStatus.Overloaded, Assert.Single(error.Results).Status);
        Assert.Equal(["r2-a", "r2-a", "r2-a"], Silo.Received.Where(e => e.UserId == "r2").Select(e => e.EventId)); // the first attempt and 2 retries
    }

    [Fact]
    public async Task AGatewayThatDoesNotAnswerIsRetriedThenReported()
    {
        // A loopback port nobody listens on: every attempt is refused.
        int port = LoopbackPort.Free();
        using var client = new MicroMomentClient(new Uri($"http://127.0.0.1:{port}/"), TestGateway.ServerKey) { Retry = Quick with { MaxRetryAttempts = 3 } };

        var started = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(View("r3", "r3-a")));

        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(20 * 3), $"three retries back off; took {started.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task ACancelledSendStopsRetrying()
    {
        using var client = new MicroMomentClient(_gateway.Host.BaseAddress, TestGateway.ServerKey) { Retry = Quick };
        Silo.Saturated = true;
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.SendAsync(View("r4", "r4-a"), cancel.Token));
    }

    [Fact]
    public void RetryOptionsOutOfRangeAreRefusedNamingTheSetting()
    {
        using var client = new MicroMomentClient(_gateway.Host.BaseAddress, TestGateway.ServerKey);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => client.Retry = new MicroMomentRetryOptions { MaxDelay = TimeSpan.FromMilliseconds(1) });

        Assert.Equal("MaxDelay", error.ParamName);
    }
}
