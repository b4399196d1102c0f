using System.Buffers;

namespace MicroMoment.Gateway;

/// <summary>Settings of the gateway, validated at start-up (<see cref="Validate"/>); bound from the "Gateway" configuration section.</summary>
public sealed class GatewayOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Gateway";

    /// <summary>Shortest accepted key secret.</summary>
    public const int MinKeyLength = 16;

    private static readonly SearchValues<char> TenantChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");

    /// <summary>Where Kestrel listens. Port 0 picks a free port (tests read the bound address from <see cref="GatewayHost.BaseAddress"/>).</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>The API keys. At least one server key is required.</summary>
    public List<GatewayKey> Keys { get; set; } = [];

    /// <summary>Largest request body (POST /v1/events and the JSON routes), bytes; larger bodies get 413.</summary>
    public int MaxBodyBytes { get; set; } = 1 << 20;

    /// <summary>Most events one request or one WebSocket message may carry; more gets 413.</summary>
    public int MaxEventsPerRequest { get; set; } = 5_000;

    /// <summary>Largest WebSocket message, bytes; a larger one closes the connection with status 1009.</summary>
    public int MaxMessageBytes { get; set; } = 256 * 1024;

    /// <summary>How far in the past an event's timestamp may be; null accepts any age (replaying historical logs).</summary>
    public TimeSpan? MaxEventAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How far in the future an event's timestamp may be (client clocks run ahead).</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Requests per server key; also the WebSocket message rate of each server-key connection.</summary>
    public TokenBucketSettings ServerRateLimit { get; set; } = new() { PerSecond = 5_000, Burst = 10_000 };

    /// <summary>Requests per publishable key and client address (a publishable key is shared by all of a shop's browsers).</summary>
    public TokenBucketSettings PublishableRateLimit { get; set; } = new() { PerSecond = 20, Burst = 60 };

    /// <summary>WebSocket messages per publishable-key connection (a browser tab).</summary>
    public TokenBucketSettings StreamMessageRateLimit { get; set; } = new() { PerSecond = 200, Burst = 400 };

    /// <summary>Messages (acks and offers) one WebSocket connection may have waiting to be sent; a client that falls further behind is dropped.</summary>
    public int SendQueueCapacity { get; set; } = 256;

    /// <summary>Distinct shoppers one server-key connection may send events for (a backend multiplexing many shoppers).</summary>
    public int MaxUsersPerServerConnection { get; set; } = 1_000_000;

    /// <summary>Longest lifetime of a shopper token the gateway accepts (expiry minus now); longer-lived tokens are refused.</summary>
    public TimeSpan MaxShopperTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Lifetime of the gateway's anonymous shopper cookie; renewed (sliding) once half of it has passed.</summary>
    public TimeSpan AnonymousShopperLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>New shoppers (minted anonymous ids, token users not seen lately) one client address may bring per minute and publishable key (IPv6: per /64).</summary>
    public int NewShoppersPerAddressPerMinute { get; set; } = 30;

    /// <summary>New shoppers one publishable key may bring per minute, over all addresses.</summary>
    public int NewShoppersPerKeyPerMinute { get; set; } = 6_000;

    /// <summary>Retry-After, seconds, when the silo is overloaded.</summary>
    public int OverloadRetryAfterSeconds { get; set; } = 1;

    /// <summary>Tracker signals (dwell, hesitation, scroll) kept per shopper, newest last.</summary>
    public int MaxSignalsPerUser { get; set; } = 64;

    /// <summary>Shoppers whose signals are kept; the least recently active are forgotten first.</summary>
    public int MaxSignalUsers { get; set; } = 100_000;

    /// <summary>Interval of WebSocket keep-alive pings.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The operator dashboard (/dashboard): refresh interval and history.</summary>
    public Dashboard.DashboardOptions Dashboard { get; set; } = new();

    /// <summary>Where metrics go besides /metrics (OTLP).</summary>
    public Telemetry.TelemetryOptions Telemetry { get; set; } = new();

    /// <summary>The first publishable key, if any (the demo page uses it).</summary>
    public GatewayKey? FirstPublishableKey => Keys.FirstOrDefault(k => k.Kind == GatewayKeyKind.Publishable);

    /// <summary>The first server key, if any.</summary>
    public GatewayKey? FirstServerKey => Keys.FirstOrDefault(k => k.Kind == GatewayKeyKind.Server);

    /// <summary>True when <paramref name="tenant"/> is 1 to 64 letters, digits, '_', '.' or '-'.</summary>
    public static bool IsValidTenant(string? tenant) =>
        !string.IsNullOrEmpty(tenant) && tenant.Length <= 64 && !tenant.AsSpan().ContainsAnyExcept(TenantChars);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is wrong and what is expected.</summary>
    public void Validate()
    {
        if (!Uri.TryCreate(Urls, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"Gateway Urls must be an absolute http(s) URL such as http://127.0.0.1:5080; got '{Urls}'.", nameof(Urls));
        if (Keys is null || !Keys.Any(k => k?.Kind == GatewayKeyKind.Server))
            throw new ArgumentException("The gateway needs at least one server key (Gateway:Keys with Kind=Server); none is configured.", nameof(Keys));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Keys.Count; i++)
        {
            var key = Keys[i] ?? throw new ArgumentException($"Gateway key #{i} is null.", nameof(Keys));
            if (string.IsNullOrWhiteSpace(key.Key) || key.Key.Length < MinKeyLength || key.Key.Any(char.IsWhiteSpace))
                throw new ArgumentException($"Gateway key #{i} ({key.Redacted}) must be at least {MinKeyLength} characters without whitespace; got {key.Key?.Length ?? 0} characters.", nameof(Keys));
            if (!seen.Add(key.Key))
                throw new ArgumentException($"Gateway key #{i} ({key.Redacted}) is configured twice; every key must be unique.", nameof(Keys));
            if (!IsValidTenant(key.Tenant))
                throw new ArgumentException($"Gateway key #{i} ({key.Redacted}) has tenant '{key.Tenant}'; a tenant is 1 to 64 letters, digits, '_', '.' or '-'.", nameof(Keys));
            if (!Enum.IsDefined(key.Kind))
                throw new ArgumentException($"Gateway key #{i} ({key.Redacted}) has kind {(int)key.Kind}; expected Server or Publishable.", nameof(Keys));
            if (key.Kind == GatewayKeyKind.Publishable && !Keys.Any(k => k?.Kind == GatewayKeyKind.Server && k.Tenant == key.Tenant))
                throw new ArgumentException($"Publishable key #{i} ({key.Redacted}) belongs to tenant '{key.Tenant}', which has no server key; shopper tokens and anonymous shopper cookies of a tenant are signed with its server key, so configure one for '{key.Tenant}'.", nameof(Keys));
        }
        Positive(MaxBodyBytes, nameof(MaxBodyBytes));
        Positive(MaxEventsPerRequest, nameof(MaxEventsPerRequest));
        Positive(MaxMessageBytes, nameof(MaxMessageBytes));
        Positive(SendQueueCapacity, nameof(SendQueueCapacity));
        Positive(NewShoppersPerAddressPerMinute, nameof(NewShoppersPerAddressPerMinute));
        Positive(NewShoppersPerKeyPerMinute, nameof(NewShoppersPerKeyPerMinute));
        if (MaxShopperTokenLifetime < TimeSpan.FromMinutes(1))
            throw new ArgumentOutOfRangeException(nameof(MaxShopperTokenLifetime), MaxShopperTokenLifetime, $"MaxShopperTokenLifetime must be at least 1 minute; got {MaxShopperTokenLifetime}.");
        if (AnonymousShopperLifetime < TimeSpan.FromMinutes(1))
            throw new ArgumentOutOfRangeException(nameof(AnonymousShopperLifetime), AnonymousShopperLifetime, $"AnonymousShopperLifetime must be at least 1 minute; got {AnonymousShopperLifetime}.");
        Positive(MaxUsersPerServerConnection, nameof(MaxUsersPerServerConnection));
        Positive(OverloadRetryAfterSeconds, nameof(OverloadRetryAfterSeconds));
        Positive(MaxSignalsPerUser, nameof(MaxSignalsPerUser));
        Positive(MaxSignalUsers, nameof(MaxSignalUsers));
        if (MaxEventAge is { } age && age <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(MaxEventAge), age, $"MaxEventAge must be positive, or null to accept any age; got {age}.");
        if (MaxClockSkew < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(MaxClockSkew), MaxClockSkew, $"MaxClockSkew must not be negative; got {MaxClockSkew}.");
        if (KeepAliveInterval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(KeepAliveInterval), KeepAliveInterval, $"KeepAliveInterval must be positive; got {KeepAliveInterval}.");
        (ServerRateLimit ?? throw new ArgumentNullException(nameof(ServerRateLimit))).Validate(nameof(ServerRateLimit));
        (PublishableRateLimit ?? throw new ArgumentNullException(nameof(PublishableRateLimit))).Validate(nameof(PublishableRateLimit));
        (StreamMessageRateLimit ?? throw new ArgumentNullException(nameof(StreamMessageRateLimit))).Validate(nameof(StreamMessageRateLimit));
        (Dashboard ?? throw new ArgumentNullException(nameof(Dashboard))).Validate();
        (Telemetry ?? throw new ArgumentNullException(nameof(Telemetry))).Validate();
    }

    private static void Positive(int value, string name)
    {
        if (value < 1) throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1; got {value}.");
    }
}
