using System.Globalization;

namespace MicroMoment.Cli.Traffic;

/// <summary>How to replay a log through a gateway.</summary>
internal sealed record ReplayOptions
{
    /// <summary>The gateway.</summary>
    public required Uri Target { get; init; }

    /// <summary>A server key (or publishable key) of the gateway.</summary>
    public required string Key { get; init; }

    /// <summary>Event-time speed-up (60 = a minute of log per second), or null to send as fast as the gateway answers.</summary>
    public double? Speed { get; init; }

    /// <summary>Most events per request.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>Requests in flight; each shopper always goes through the same lane, so their events keep their order.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>Parses "60x", "1x" or "max".</summary>
    public static bool TryParseSpeed(string text, out double? speed, out string? error)
    {
        speed = null;
        error = null;
        if (text.Equals("max", StringComparison.OrdinalIgnoreCase)) return true;
        var number = text.EndsWith('x') || text.EndsWith('X') ? text[..^1] : text;
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value > 0)
        {
            speed = value;
            return true;
        }
        error = $"--speed '{text}' is not a speed; expected a positive factor such as 60x (a minute of log per second) or max.";
        return false;
    }
}
