using MicroMoment.Events;
using MicroMoment.Sessions;
using static MicroMoment.Tests.Sessions.SessionTestEvents;

namespace MicroMoment.Tests.Sessions;

public class SessionizerTests
{
    private static IReadOnlyList<Session> Run(params ClickEvent[] events) => Sessionizer.Sessionize(events, SessionizerOptions.Default);

    [Fact]
    public void EventExactlyThirtyMinutesAfterThePreviousStaysInTheSession()
    {
        var sessions = Run(At("u", Min(0)), At("u", Min(30)));
        Assert.Equal(2, Assert.Single(sessions).Events.Length);
    }

    [Fact]
    public void EventThirtyMinutesAndOneSecondAfterThePreviousStartsANewSession()
    {
        var sessions = Run(At("u", Min(0)), At("u", Min(30) + TimeSpan.FromSeconds(1)));
        Assert.Equal(2, sessions.Count);
        Assert.Equal(T0, sessions[0].Start);
        Assert.Equal(T0 + Min(30) + TimeSpan.FromSeconds(1), sessions[1].Start);
    }

    [Fact]
    public void GapsAreMeasuredBetweenConsecutiveEventsNotFromTheSessionStart()
    {
        var sessions = Run(At("u", Min(0)), At("u", Min(25)), At("u", Min(50)), At("u", Min(75)));
        var session = Assert.Single(sessions);
        Assert.Equal(Min(75), session.Duration);
    }

    [Fact]
    public void UnorderedInputIsOrderedByTimeKeepingInputOrderForEqualTimestamps()
    {
        var sessions = Run(
            At("u", Min(10), product: 3),
            At("u", Min(0), product: 1),
            At("u", Min(10), product: 4),
            At("u", Min(5), product: 2),
            At("u", Min(10), product: 5));

        var session = Assert.Single(sessions);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], session.Events.Select(e => e.ProductId));
    }

    [Fact]
    public void InterleavedUsersGetTheirOwnSessionsOrderedByStartWithDenseIds()
    {
        var sessions = Run(
            At("b", Min(1)), At("a", Min(2)), At("b", Min(3)), At("c", Min(0)),
            At("a", Min(4)), At("c", Min(100)), At("b", Min(5)));

        Assert.Equal(["c", "b", "a", "c"], sessions.Select(s => s.UserId));
        Assert.Equal([0L, 1L, 2L, 3L], sessions.Select(s => s.Id));
        Assert.Equal([1, 3, 2, 1], sessions.Select(s => s.Events.Length));
        Assert.All(sessions, s => Assert.All(s.Events, e => Assert.Equal(s.UserId, e.UserId)));
    }

    [Fact]
    public void SessionsStartingAtTheSameTimeAreOrderedByTenantThenUser()
    {
        var sessions = Run(
            At("b", Min(0), tenant: "t2"), At("z", Min(0), tenant: "t1"), At("a", Min(0), tenant: "t2"), At("a", Min(0), tenant: "t1"));

        Assert.Equal(["t1/a", "t1/z", "t2/a", "t2/b"], sessions.Select(s => $"{s.Tenant}/{s.UserId}"));
    }

    [Fact]
    public void SameUserIdInTwoTenantsIsTwoDifferentUsers()
    {
        var sessions = Run(At("u", Min(0), tenant: "x"), At("u", Min(1), tenant: "y"));
        Assert.Equal(2, sessions.Count);
    }

    [Fact]
    public void OnlySessionsEndingWithinOneTimeoutOfTheLogEndAreCensored()
    {
        var sessions = Run(
            At("early", Min(0)), // ends 60 min before the log end
            At("edge", Min(30)), // ends exactly one timeout before the log end
            At("late", Min(31)),
            At("last", Min(60)));

        var byUser = sessions.ToDictionary(s => s.UserId);
        Assert.False(byUser["early"].Censored);
        Assert.False(byUser["edge"].Censored);
        Assert.True(byUser["late"].Censored);
        Assert.True(byUser["last"].Censored);
    }

    [Fact]
    public void FirstPurchaseIndexPointsAtTheFirstPurchaseInTimeOrder()
    {
        var sessions = Run(
            At("u", Min(3), EventType.Purchase, product: 9),
            At("u", Min(0)),
            At("u", Min(1), EventType.Cart),
            At("u", Min(2), EventType.Purchase, product: 8),
            At("v", Min(0)));

        var u = sessions.Single(s => s.UserId == "u");
        Assert.Equal(2, u.FirstPurchaseIndex);
        Assert.True(u.HasPurchase);
        Assert.Equal(8, u.Events[u.FirstPurchaseIndex].ProductId);
        var v = sessions.Single(s => s.UserId == "v");
        Assert.Equal(-1, v.FirstPurchaseIndex);
        Assert.False(v.HasPurchase);
    }

    [Fact]
    public void CustomTimeoutIsApplied()
    {
        var events = new[] { At("u", Min(0)), At("u", Min(6)), At("u", Min(10)) };
        var sessions = Sessionizer.Sessionize(events, new SessionizerOptions { InactivityTimeout = TimeSpan.FromMinutes(5) });
        Assert.Equal([1, 2], sessions.Select(s => s.Events.Length));
    }

    [Fact]
    public void EmptyInputGivesNoSessions() => Assert.Empty(Run());

    [Fact]
    public void EventWithoutAUserIsRejectedWithItsPosition()
    {
        var error = Assert.Throws<ArgumentException>(() => Run(At("u", Min(0)), At("", Min(1))));
        Assert.Contains("Event #1", error.Message);
        Assert.Contains("no user id", error.Message);
    }

    [Fact]
    public void LocalTimeTimestampsAreRejected()
    {
        var local = At("u", Min(0)) with { Timestamp = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Local) };
        var error = Assert.Throws<ArgumentException>(() => Run(local));
        Assert.Contains("UTC", error.Message);
    }

    [Fact]
    public void ManyUsersAndEventsAreAllAccountedForInOrderedNonOverlappingSessions()
    {
        var random = new Random(7);
        var events = new List<ClickEvent>();
        for (int i = 0; i < 20_000; i++)
        {
            events.Add(At($"u{random.Next(500)}", TimeSpan.FromSeconds(random.Next(0, 48 * 3600)), product: i));
        }

        var sessions = Run([.. events]);

        Assert.Equal(events.Count, sessions.Sum(s => s.Events.Length));
        Assert.Equal(events.Select(e => e.ProductId).Order(), sessions.SelectMany(s => s.Events).Select(e => e.ProductId).Order());
        for (int i = 1; i < sessions.Count; i++)
        {
            Assert.True(sessions[i - 1].Start <= sessions[i].Start);
            Assert.Equal(i, sessions[i].Id);
        }

        foreach (var user in sessions.GroupBy(s => s.UserId))
        {
            var list = user.OrderBy(s => s.Start).ToList();
            foreach (var s in list)
            {
                for (int k = 1; k < s.Events.Length; k++)
                {
                    var gap = s.Events[k].Timestamp - s.Events[k - 1].Timestamp;
                    Assert.InRange(gap, TimeSpan.Zero, SessionizerOptions.Default.InactivityTimeout);
                }
            }

            for (int k = 1; k < list.Count; k++)
            {
                Assert.True(list[k].Start - list[k - 1].End > SessionizerOptions.Default.InactivityTimeout);
            }
        }
    }
}
