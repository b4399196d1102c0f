using MicroMoment.Events;

namespace MicroMoment.Tests.Sessions;

/// <summary>Builds small event lists for sessionizer tests.</summary>
internal static class SessionTestEvents
{
    public static readonly DateTime T0 = new(2024, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    public static ClickEvent At(string user, TimeSpan offset, EventType type = EventType.View, long product = 1, string tenant = "t") =>
        new(tenant, user, T0 + offset, type, product, 10, null, null, 9.99f);

    public static TimeSpan Min(double minutes) => TimeSpan.FromMinutes(minutes);
}
