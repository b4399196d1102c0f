using System.Diagnostics;
using System.Net;
using MicroMoment.Client.Orleans;
using MicroMoment.Events;
using MicroMoment.Silo;

namespace MicroMoment.Gateway.Tests.OrleansMode;

/// <summary>The Orleans-mode client when no silo answers: on connect, and when the silo goes away after it connected.</summary>
public sealed class UnreachableSiloTests
{
    [Fact]
    public async Task ConnectingWhereNoSiloListensFailsWithAnErrorNamingTheGateway()
    {
        int port = LoopbackPort.Free();
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<SiloUnreachableException>(() => MicroMomentOrleansClient.ConnectAsync(port, new MicroMomentOrleansOptions { ConnectTimeout = TimeSpan.FromSeconds(5) }));

        Assert.Equal([new IPEndPoint(IPAddress.Loopback, port)], error.Gateways);
        Assert.Contains($"127.0.0.1:{port}", error.Message);
        Assert.Contains("--orleans-port", error.Message);
        Assert.NotNull(error.InnerException);
        // Bounded by ConnectTimeout (plus the stop of the half-started client), not by Orleans' minutes of retries.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"Connecting took {clock.Elapsed}.");
    }

    [Fact]
    public async Task ConnectingToNoGatewayIsRefusedBeforeAnyCall()
    {
        var none = await Assert.ThrowsAsync<ArgumentException>(() => MicroMomentOrleansClient.ConnectAsync(Array.Empty<IPEndPoint>()));
        var port = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => MicroMomentOrleansClient.ConnectAsync(0));

        Assert.Contains("No Orleans gateway given", none.Message);
        Assert.Contains("expected the port `serve` prints", port.Message);
    }

    [Fact]
    public async Task EventsSentAfterTheSiloStoppedAreAnsweredUnavailable()
    {
        int port = LoopbackPort.Free();
        var silo = await EmbeddedSilo.StartAsync(BundledModel.Model, OrleansModeFixture.AlwaysOfferOptions, gatewayPort: port);
        await using var client = await MicroMomentOrleansClient.ConnectAsync(port, new MicroMomentOrleansOptions { Tenant = TestGateway.Tenant });
        var before = await client.SendAsync(client.CreateEvent("gone-1", EventType.View, productId: 1001));
        await silo.DisposeAsync();
        var pending = client.CreateEvent("gone-1", EventType.Cart, productId: 1001);

        var after = await client.SendAsync([pending, client.CreateEvent("gone-2", EventType.View)]);
        var read = await Assert.ThrowsAnyAsync<Exception>(() => client.GetUserAsync("gone-1"));

        Assert.Equal(IngestStatus.Accepted, before.Status);
        Assert.All(after, o => Assert.Equal(IngestStatus.Overloaded, o.Status));
        Assert.All(after, o => Assert.Equal("unavailable", o.Reason));
        Assert.IsNotType<ArgumentException>(read);
    }
}
