using MicroMoment.Events;

namespace MicroMoment.Tests.Features;

/// <summary>Builds small hand-made events for feature tests.</summary>
internal static class TestEvents
{
    /// <summary>Monday 2024-01-01 00:00 UTC.</summary>
    public static readonly DateTime Monday = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static ClickEvent At(DateTime time, EventType type = EventType.View, long product = 0, long category = 0,
        float price = float.NaN, EventContext context = default) =>
        new(ClickEvent.DefaultTenant, "u1", time, type, product, category, null, null, price, context);

    public static ClickEvent AtSeconds(double seconds, EventType type = EventType.View, long product = 0, long category = 0,
        float price = float.NaN, EventContext context = default) =>
        At(Monday.AddSeconds(seconds), type, product, category, price, context);
}
