using MicroMoment.Events;
using MicroMoment.Numerics;

namespace MicroMoment.Tests.Features;

/// <summary>Generates training sessions of three clear behaviours (browsers, comparers, buyers), deterministically.</summary>
internal static class SyntheticSessions
{
    private static readonly string[] _devices = ["mobile", "desktop", "tablet"];
    private static readonly string?[] _referrers = ["search", "social", "direct", null];

    public static List<ClickEvent[]> Make(int perBehaviour, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var sessions = new List<ClickEvent[]>();
        var start = new DateTime(2024, 3, 4, 8, 0, 0, DateTimeKind.Utc);
        for (int i = 0; i < perBehaviour; i++)
        {
            for (int behaviour = 0; behaviour < 3; behaviour++)
            {
                var begin = start.AddMinutes(sessions.Count * 37 % (7 * 24 * 60));
                var context = new EventContext(_devices[rng.NextInt(3)], "web", _referrers[rng.NextInt(4)], "product");
                string user = $"u{sessions.Count}";
                sessions.Add(behaviour switch
                {
                    0 => Browser(ref rng, user, begin, context),
                    1 => Comparer(ref rng, user, begin, context),
                    _ => Buyer(ref rng, user, begin, context),
                });
            }
        }
        return sessions;
    }

    private static ClickEvent Event(string user, DateTime time, EventType type, long product, long category, float price, EventContext context) =>
        new(ClickEvent.DefaultTenant, user, time, type, product, category, null, null, price, context);

    private static ClickEvent[] Browser(ref SplitMix64 rng, string user, DateTime time, EventContext context)
    {
        int count = 2 + rng.NextInt(3);
        var events = new ClickEvent[count];
        for (int i = 0; i < count; i++)
        {
            events[i] = Event(user, time, EventType.View, 1000 + rng.NextInt(500), 1 + rng.NextInt(20), 5 + rng.NextInt(20), context);
            time = time.AddSeconds(60 + rng.NextInt(240));
        }
        return events;
    }

    private static ClickEvent[] Comparer(ref SplitMix64 rng, string user, DateTime time, EventContext context)
    {
        int count = 15 + rng.NextInt(15);
        long category = 100 + rng.NextInt(5);
        var events = new ClickEvent[count];
        for (int i = 0; i < count; i++)
        {
            long product = 5000 + category * 10 + rng.NextInt(5);
            var type = i == count - 1 && rng.NextInt(10) == 0 ? EventType.Purchase : EventType.View;
            events[i] = Event(user, time, type, product, category, 200 + (product % 10) * 30, context);
            time = time.AddSeconds(20 + rng.NextInt(40));
        }
        return events;
    }

    private static ClickEvent[] Buyer(ref SplitMix64 rng, string user, DateTime time, EventContext context)
    {
        long product = 9000 + rng.NextInt(300);
        long category = 300 + rng.NextInt(3);
        float price = 30 + rng.NextInt(50);
        var events = new List<ClickEvent> { Event(user, time, EventType.View, product, category, price, context) };
        time = time.AddSeconds(5 + rng.NextInt(15));
        events.Add(Event(user, time, EventType.Cart, product, category, price, context));
        time = time.AddSeconds(5 + rng.NextInt(15));
        if (rng.NextInt(5) != 0) events.Add(Event(user, time, EventType.Purchase, product, category, price, context));
        return [.. events];
    }
}
