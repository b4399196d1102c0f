using MicroMoment.Client.Orleans;
using MicroMoment.Events;
using MicroMoment.Grains;
using MicroMoment.Silo;
using Microsoft.Extensions.Time.Testing;
using Orleans;
using Microsoft.Extensions.DependencyInjection;

namespace MicroMoment.Gateway.Tests.OrleansMode;

/// <summary>
/// A watch lasts <see cref="OfferWatch.Lifetime"/> by the silo clock; the Orleans-mode client renews it every
/// <see cref="OfferWatch.RenewEvery"/> by its own clock. One fake clock drives both here.
/// </summary>
public sealed class OfferWatchRenewalTests
{
    [Fact]
    public async Task AWatchRenewedEveryMinuteStillGetsOffersPastItsLifetime()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        int port = LoopbackPort.Free();
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel.Model, OrleansModeFixture.AlwaysOfferOptions, clock, gatewayPort: port);
        using var host = await OrleansModeFixture.StartOrleansClientHostAsync(port);
        await using var client = new MicroMomentOrleansClient(host.Services.GetRequiredService<IClusterClient>(), time: clock);
        await using var offers = await client.WatchOffersAsync("renewed");

        // Four minutes pass (the watch's lifetime is three), a renewal each minute.
        for (int minute = 1; minute <= 4; minute++)
        {
            clock.Advance(OfferWatch.RenewEvery);
            await WaitUntilAsync(() => client.WatchRenewals >= minute, $"renewal {minute}");
        }

        var fired = (await client.SendAsync(client.CreateEvent("renewed", EventType.View, productId: 1001))).Decision!.Offer!;
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        Offer? pushed = null;
        await foreach (var offer in offers.ReadOffersAsync(wait.Token))
        {
            pushed = offer;
            break;
        }

        Assert.Equal(fired.Id, pushed?.Id);
    }

    [Fact]
    public async Task AWatchThatIsNotRenewedEndsAfterItsLifetime()
    {
        // The same run without renewals (the client's clock stands still): the grain stops pushing, which is why renewal
        // matters. The offer still comes back in the event's answer.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var standing = new FakeTimeProvider(DateTimeOffset.UtcNow);
        int port = LoopbackPort.Free();
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel.Model, OrleansModeFixture.AlwaysOfferOptions, clock, gatewayPort: port);
        using var host = await OrleansModeFixture.StartOrleansClientHostAsync(port);
        await using var client = new MicroMomentOrleansClient(host.Services.GetRequiredService<IClusterClient>(), time: standing);
        await using var lapsed = await client.WatchOffersAsync("lapsed");

        clock.Advance(OfferWatch.Lifetime + TimeSpan.FromMinutes(1));
        // A fresh watch as a fence: its offer is pushed after the lapsed shopper's would have been.
        await using var fence = await client.WatchOffersAsync("fence");
        var outcome = await client.SendAsync(client.CreateEvent("lapsed", EventType.View, productId: 1001));
        var fenceOffer = (await client.SendAsync(client.CreateEvent("fence", EventType.View, productId: 1001))).Decision!.Offer!;
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await foreach (var offer in fence.ReadOffersAsync(wait.Token))
        {
            Assert.Equal(fenceOffer.Id, offer.Id);
            break;
        }

        Assert.True(outcome.Decision!.Fired);
        Assert.Equal(0, client.WatchRenewals);
        Assert.False(lapsed.TryRead(out _));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited 15 s for {what}.");
            await Task.Delay(10);
        }
    }
}
