using System.Globalization;
using MicroMoment.Events;

namespace MicroMoment.Client.Orleans;

/// <summary>
/// The checks the HTTP gateway makes on an event before it reaches a grain, for events handed to the grains directly:
/// the tenant, the shopper and event ids, a scored event type, a UTC timestamp within the clock skew and age limits,
/// non-negative ids and prices, and the gateway's length limits.
/// </summary>
internal static class EventChecks
{
    /// <summary>Longest user and event id, characters (the gateway's limit).</summary>
    public const int MaxIdLength = 128;

    /// <summary>Longest category code, brand and context value, characters (the gateway's limit).</summary>
    public const int MaxTextLength = 256;

    /// <summary>Throws when event <paramref name="index"/> cannot be sent; the message says which event, what is wrong and what is expected.</summary>
    /// <exception cref="ArgumentException">The event is invalid.</exception>
    public static void Check(in ClickEvent e, int index, MicroMomentOrleansOptions options, DateTime nowUtc, string paramName)
    {
        string? problem = Problem(e, options, nowUtc);
        if (problem is null) return;
        string which = e.EventId is { Length: > 0 and <= MaxIdLength } id ? $"Event #{index} ('{id}')" : $"Event #{index}";
        throw new ArgumentException($"{which}: {problem} Nothing was sent.", paramName);
    }

    /// <summary>Throws when <paramref name="userId"/> is not a shopper id the gateway would take.</summary>
    /// <exception cref="ArgumentException">The id is blank, too long or holds control characters.</exception>
    public static void CheckUserId(string userId, string paramName)
    {
        if (IdProblem("user id", userId, "the shopper's id") is { } problem) throw new ArgumentException(char.ToUpperInvariant(problem[0]) + problem[1..], paramName);
    }

    private static string? Problem(in ClickEvent e, MicroMomentOrleansOptions options, DateTime now)
    {
        if (string.IsNullOrEmpty(e.Tenant))
            return $"the tenant is missing; expected '{options.Tenant}', this client's tenant (MicroMomentOrleansClient.CreateEvent fills it in).";
        if (!string.Equals(e.Tenant, options.Tenant, StringComparison.Ordinal))
            return $"the tenant is '{Shorten(e.Tenant)}', but this client sends for tenant '{options.Tenant}'; use one client per tenant (MicroMomentOrleansOptions.Tenant).";
        if (IdProblem("user id", e.UserId, "the shopper's id") is { } user) return user;
        if (IdProblem("event id", e.EventId, "a unique id so that a resend is answered duplicate (MicroMomentOrleansClient.CreateEvent assigns one)") is { } id) return id;
        switch (e.Type)
        {
            case EventType.View or EventType.Cart or EventType.RemoveFromCart or EventType.Purchase:
                break;
            case EventType.Other:
                return "the type is Other, which the model does not score; expected View, Cart, RemoveFromCart or Purchase (tracker signals go to the HTTP gateway).";
            default:
                return $"the type is {(int)e.Type}, which is not an EventType; expected View, Cart, RemoveFromCart or Purchase.";
        }

        if (e.Timestamp.Kind != DateTimeKind.Utc)
            return $"the timestamp {e.Timestamp:O} is of kind {e.Timestamp.Kind}; expected UTC (DateTimeKind.Utc, e.g. DateTime.UtcNow or DateTimeOffset.UtcDateTime).";
        if (e.Timestamp - now > options.MaxClockSkew)
            return string.Create(CultureInfo.InvariantCulture, $"the timestamp {e.Timestamp:O} is {(e.Timestamp - now).TotalMinutes:0.#} minutes in the future; at most {options.MaxClockSkew.TotalMinutes:0.#} minutes ahead of this machine's clock ({now:O}) is accepted.");
        if (options.MaxEventAge is { } maxAge && now - e.Timestamp > maxAge)
            return string.Create(CultureInfo.InvariantCulture, $"the timestamp {e.Timestamp:O} is {(now - e.Timestamp).TotalDays:0.##} days old; events older than {maxAge.TotalDays:0.##} days are not accepted (MicroMomentOrleansOptions.MaxEventAge).");
        if (e.ProductId < 0) return $"the product id is {e.ProductId}; expected 0 (none) or a positive id.";
        if (e.CategoryId < 0) return $"the category id is {e.CategoryId}; expected 0 (unknown) or a positive id.";
        if (float.IsInfinity(e.Price) || e.Price < 0)
            return $"the price is {e.Price.ToString(CultureInfo.InvariantCulture)}; expected a finite, non-negative price, or NaN when unknown.";
        return TextProblem("category code", e.CategoryCode) ?? TextProblem("brand", e.Brand) ?? TextProblem("context device", e.Context.Device)
            ?? TextProblem("context platform", e.Context.Platform) ?? TextProblem("context referrer", e.Context.Referrer)
            ?? TextProblem("context page", e.Context.Page) ?? TextProblem("context time zone", e.Context.TimeZone);
    }

    private static string? IdProblem(string name, string? value, string expected)
    {
        if (string.IsNullOrWhiteSpace(value)) return $"the {name} is {(value is null ? "missing" : "blank")}; expected {expected}.";
        if (value.Length > MaxIdLength) return $"the {name} has {value.Length} characters; expected 1 to {MaxIdLength}.";
        if (value.AsSpan().ContainsAnyInRange('\0', '\u001f') || value.Contains('\u007f')) return $"the {name} contains control characters; expected printable text.";
        return null;
    }

    private static string? TextProblem(string name, string? value) =>
        value is { Length: > MaxTextLength } ? $"the {name} has {value.Length} characters; expected at most {MaxTextLength}." : null;

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "...";
}
