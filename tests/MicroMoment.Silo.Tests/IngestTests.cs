using MicroMoment.Events;
using static MicroMoment.Silo.Tests.SiloTestData;

namespace MicroMoment.Silo.Tests;

public class IngestTests
{
    [Fact]
    public async Task AnEventIdIsAppliedOnceAndItsRepeatsAreCountedAsDuplicates()
    {
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, new SiloOptions { });
        var first = await silo.IngestAsync([Event("judy", 0, id: "a"), Event("judy", 1, id: "a"), Event("judy", 2, id: "b")]);
        Assert.Equal([IngestStatus.Accepted, IngestStatus.Duplicate, IngestStatus.Accepted], first.Select(o => o.Status));
        Assert.Equal("duplicate", first[1].Reason);
        Assert.Equal(1, first[2].Score!.Value.Position);

        var retry = await silo.IngestAsync([Event("judy", 0, id: "a"), Event("judy", 2, id: "b"), Event("ken", 0, id: "a")]);
        Assert.Equal([IngestStatus.Duplicate, IngestStatus.Duplicate, IngestStatus.Accepted], retry.Select(o => o.Status));

        // Events without an id (offline logs) are always applied.
        var anonymous = await silo.IngestAsync([Event("judy", 3), Event("judy", 3)]);
        Assert.All(anonymous, o => Assert.Equal(IngestStatus.Accepted, o.Status));

        var view = await silo.GetUserAsync(ClickEvent.DefaultTenant, "judy");
        Assert.Equal(3, view!.DuplicatesDropped);
        Assert.Equal(4, view.EventsApplied);
        var stats = silo.GetStatistics();
        Assert.Equal(3, stats.DropsByReason["duplicate"]);
        Assert.Equal(3, stats.EventsByStatus["Duplicate"]);
    }

    [Fact]
    public async Task DedupMemoryIsBoundedToTheMostRecentIds()
    {
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, new SiloOptions { DedupCapacity = 4 });
        await silo.IngestAsync([.. Enumerable.Range(0, 6).Select(i => Event("leo", i, id: $"id-{i}"))]);
        var again = await silo.IngestAsync([Event("leo", 7, id: "id-5"), Event("leo", 7, id: "id-2"), Event("leo", 7, id: "id-1")]);
        // id-2..id-5 are remembered; id-1 fell out of the ring and is applied again.
        Assert.Equal([IngestStatus.Duplicate, IngestStatus.Duplicate, IngestStatus.Accepted], again.Select(o => o.Status));
    }

    [Fact]
    public async Task ALogReplayedTwiceIsAppliedOnceEvenBeyondTheDedupMemory()
    {
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, new SiloOptions { DedupCapacity = 4 });
        var log = Enumerable.Range(0, 10).Select(i => Event("mia", i, id: $"id-{i}")).ToArray();
        Assert.All(await silo.IngestAsync(log), o => Assert.Equal(IngestStatus.Accepted, o.Status));

        var again = await silo.IngestAsync(log);

        // id-6..id-9 are remembered; id-0..id-5 are forgotten but older than the newest applied event.
        Assert.All(again, o => Assert.Equal(IngestStatus.Duplicate, o.Status));
        Assert.Equal(6, again.Count(o => o.Reason == "late-duplicate"));
        Assert.Equal(4, again.Count(o => o.Reason == "duplicate"));
        var view = await silo.GetUserAsync(ClickEvent.DefaultTenant, "mia");
        Assert.Equal(10, view!.EventsApplied);
        Assert.Equal(10, view.DuplicatesDropped);
        Assert.Equal(6, silo.GetStatistics().DropsByReason["late-duplicate"]);
    }

    [Fact]
    public async Task AnOutOfOrderEventWithANewIdIsAppliedWhileTheGrainStillRemembersEveryId()
    {
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, new SiloOptions { DedupCapacity = 4 });
        await silo.IngestAsync([Event("noa", 5, id: "b"), Event("noa", 6, id: "c")]);

        // Two ids remembered of four: "a" is provably new although it is older than "c".
        var late = await silo.IngestAsync([Event("noa", 4, id: "a")]);

        Assert.Equal(IngestStatus.Accepted, late[0].Status);
    }

    [Fact]
    public async Task AFullPartitionAnswersOverloadedAtOnceInsteadOfQueueing()
    {
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, new SiloOptions { QueueCapacity = 8 });
        var events = Enumerable.Range(0, 200).Select(i => Event($"u{i % 3}", i * 0.01)).ToArray();
        var outcomes = await silo.IngestAsync(events);
        Assert.Equal(8, outcomes.Count(o => o.Status == IngestStatus.Accepted));
        // Only a prefix is taken, so no user's later event overtakes a refused earlier one.
        Assert.All(outcomes.Skip(8), o => Assert.Equal(IngestStatus.Overloaded, o.Status));
        Assert.Equal("overloaded", outcomes[8].Reason);
        Assert.Equal(192, silo.GetStatistics().DropsByReason["overloaded"]);
    }

    [Fact]
    public async Task QueuesNeverHoldMoreThanTheirCapacityUnderSustainedOverload()
    {
        const int capacity = 64;
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, new SiloOptions { QueueCapacity = capacity, BatchSize = 16 });
        int maxDepth = 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested) maxDepth = Math.Max(maxDepth, silo.GetStatistics().QueueDepths.Max());
        });
        var callers = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
        {
            long accepted = 0, overloaded = 0;
            for (int k = 0; k < 60; k++)
            {
                var outcomes = await silo.IngestAsync([.. Enumerable.Range(0, 500).Select(i => Event($"c{c}-u{i % 50}", k))]);
                accepted += outcomes.Count(o => o.Status == IngestStatus.Accepted);
                overloaded += outcomes.Count(o => o.Status == IngestStatus.Overloaded);
            }

            return (accepted, overloaded);
        })).ToArray();
        var totals = await Task.WhenAll(callers);
        stop.Cancel();
        await sampler;

        Assert.True(maxDepth <= capacity, $"a queue held {maxDepth} events; capacity {capacity}");
        Assert.True(totals.Sum(t => t.overloaded) > 0, "the load never engaged back-pressure");
        Assert.Equal(4 * 60 * 500, totals.Sum(t => t.accepted + t.overloaded));
        Assert.Equal(totals.Sum(t => t.accepted), silo.GetStatistics().EventsAccepted);
    }

    [Theory]
    [InlineData("missing-user")]
    [InlineData("missing-tenant")]
    [InlineData("timestamp-not-utc")]
    [InlineData("non-finite-price")]
    [InlineData("negative-price")]
    [InlineData("unknown-type")]
    [InlineData("negative-id")]
    public async Task InvalidEventsAreRejectedWithTheirReason(string reason)
    {
        var good = Event("mia", 0);
        var bad = reason switch
        {
            "missing-user" => good with { UserId = " " },
            "missing-tenant" => good with { Tenant = "" },
            "timestamp-not-utc" => good with { Timestamp = DateTime.SpecifyKind(good.Timestamp, DateTimeKind.Local) },
            "non-finite-price" => good with { Price = float.PositiveInfinity },
            "negative-price" => good with { Price = -1f },
            "unknown-type" => good with { Type = (EventType)42 },
            _ => good with { ProductId = -5 },
        };
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, new SiloOptions { });
        var outcomes = await silo.IngestAsync([bad, good]);
        Assert.Equal(IngestStatus.Rejected, outcomes[0].Status);
        Assert.Equal(reason, outcomes[0].Reason);
        Assert.Null(outcomes[0].Score);
        Assert.Equal(IngestStatus.Accepted, outcomes[1].Status);
        Assert.Equal(0, outcomes[1].Score!.Value.Position);
        Assert.Equal(1, silo.GetStatistics().DropsByReason[reason]);
    }

    [Fact]
    public async Task AnEventWithUnknownPriceIsScored()
    {
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, new SiloOptions { });
        var outcome = (await silo.IngestAsync([Event("nia", 0, price: float.NaN)]))[0];
        Assert.Equal(IngestStatus.Accepted, outcome.Status);
    }

    [Fact]
    public async Task InstrumentsRecordEveryEventDurationAndPublishTheCounters()
    {
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, new SiloOptions { });
        var durations = new List<double>();
        var observed = new Dictionary<string, long>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            // Only this silo's meters: other tests' silos in this process publish instruments of the same names.
            InstrumentPublished = (instrument, l) => { if (ReferenceEquals(instrument.Meter.Scope, silo.MeterScope)) l.EnableMeasurementEvents(instrument); },
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => { if (instrument.Name == "micromoment.grain.event.duration") lock (durations) durations.Add(value); });
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string key = instrument.Name;
            foreach (var tag in tags) key += $"|{tag.Key}={tag.Value}";
            lock (observed) observed[key] = value;
        });
        listener.Start();

        await silo.IngestAsync([.. Enumerable.Range(0, 50).Select(i => Event($"s{i % 7}", i))]);
        listener.RecordObservableInstruments();
        var stats = silo.GetStatistics();

        Assert.NotNull(silo.MeterScope);
        Assert.True(stats.Ready);
        Assert.Equal([0], stats.QueueDepths); // nothing in hand once the call was answered
        Assert.Equal(50, durations.Count);
        Assert.All(durations, d => Assert.True(d > 0));
        Assert.Equal(stats.EventsAccepted, observed["micromoment.grain.events|status=accepted"]);
        Assert.Equal(50, observed["micromoment.grain.events|status=accepted"]);
        Assert.Equal(0, observed["micromoment.grain.queue.depth"]);
        Assert.Equal(7, observed["micromoment.grain.active"]);
        Assert.Equal(7, stats.LiveActivations);
    }

    [Fact]
    public async Task ADisposedSiloTakesNoMoreEvents()
    {
        var silo = await EmbeddedSilo.StartAsync(BundledModel, new SiloOptions { });
        await silo.DisposeAsync();
        Assert.False(silo.GetStatistics().Ready);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await silo.IngestAsync([Event("x", 0)]));
    }
}
