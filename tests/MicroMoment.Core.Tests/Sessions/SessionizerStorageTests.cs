using MicroMoment.Events;
using MicroMoment.Sessions;
using static MicroMoment.Tests.Sessions.SessionTestEvents;

namespace MicroMoment.Tests.Sessions;

public class SessionizerStorageTests
{
    [Fact]
    public void EveryFieldOfEveryEventSurvivesSessionizing()
    {
        var plain = At("u", Min(0));
        var events = new[]
        {
            plain,
            plain with { Timestamp = plain.Timestamp + Min(1), Context = new EventContext("mobile", "ios", "search", "product") },
            plain with { Timestamp = plain.Timestamp + Min(2), Type = EventType.Other, RawType = "wishlist", Price = float.NaN, CategoryCode = "a.b", Brand = "acme" },
            plain with { Timestamp = plain.Timestamp + Min(3), SourceSession = "s-1", EventId = "e-9", ProductId = long.MaxValue, CategoryId = 0 },
            plain with { Timestamp = DateTime.SpecifyKind(plain.Timestamp + Min(4), DateTimeKind.Unspecified), Context = new EventContext(null, null, null, "cart") },
            At("v", Min(2), EventType.Purchase, tenant: "t2") with { EventId = "e-10" },
        };

        var sessions = Sessionizer.Sessionize(events, SessionizerOptions.Default);

        var back = sessions.SelectMany(s => s.Events).ToList();
        Assert.Equal(events.Length, back.Count);
        foreach (var e in events)
        {
            var match = Assert.Single(back, b => b == e);
            Assert.Equal(e.Timestamp.Kind, match.Timestamp.Kind);
        }
    }

    [Fact]
    public void EventsOfOneUserShareOneUserIdInstance()
    {
        var events = new[] { At(new string('u', 3), Min(0)), At(new string('u', 3), Min(1)), At(new string('u', 3), Min(90)) };

        var sessions = Sessionizer.Sessionize(events, SessionizerOptions.Default);

        var ids = sessions.SelectMany(s => s.Events).Select(e => e.UserId).ToList();
        Assert.All(ids, id => Assert.Same(ids[0], id));
        Assert.All(sessions, s => Assert.Same(ids[0], s.UserId));
    }
}
