using System.Diagnostics;

namespace MicroMoment.Gateway.Tests;

/// <summary>
/// Event times for tests that expect a model to fire a particular offer. A model trained on a whole day reads the hour
/// of day (its time features; the bundled model, trained on three hours, holds them at 0), so an event stamped "now"
/// could score differently at 03:00 and at 16:00 and such a test would pass or fail by the wall clock. Events are
/// stamped from a fixed hour instead: the latest 08:00 UTC at least an hour ago (recent enough for the gateway's age
/// limit, never in the future), plus the time since the test run started so successive events keep their order.
/// </summary>
internal static class TestClock
{
    private static readonly long Started = Stopwatch.GetTimestamp();

    /// <summary>The fixed hour of day (UTC) test events are stamped from.</summary>
    public const int Hour = 8;

    private static readonly DateTime Anchor = AnchorBefore(DateTime.UtcNow);

    /// <summary>The anchor plus the time elapsed since the first use (UTC).</summary>
    public static DateTime UtcNow => Anchor + Stopwatch.GetElapsedTime(Started);

    /// <summary>The latest <see cref="Hour"/>:00 UTC that is at least an hour before <paramref name="now"/>.</summary>
    internal static DateTime AnchorBefore(DateTime now)
    {
        var anchor = now.Date.AddHours(Hour);
        return anchor <= now.AddHours(-1) ? anchor : anchor.AddDays(-1);
    }
}
