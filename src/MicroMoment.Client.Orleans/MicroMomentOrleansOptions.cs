using System.Buffers;
using MicroMoment.Events;

namespace MicroMoment.Client.Orleans;

/// <summary>Settings of a <see cref="MicroMomentOrleansClient"/> (validated when the client is made).</summary>
public sealed class MicroMomentOrleansOptions
{
    /// <summary>Longest tenant, characters (as the gateway's keys allow).</summary>
    public const int MaxTenantLength = 64;

    private static readonly SearchValues<char> TenantChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");

    /// <summary>
    /// The shop the client sends for: every event must carry it, and shoppers named by id are this tenant's. One client per
    /// tenant (clients of several tenants may share one Orleans client). The gateway's keys name the same tenants.
    /// </summary>
    public string Tenant { get; set; } = ClickEvent.DefaultTenant;

    /// <summary>How far ahead of this machine's clock an event's timestamp may be (as the gateway's MaxClockSkew).</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The oldest event accepted, by this machine's clock (as the gateway's MaxEventAge), or null for any age.</summary>
    public TimeSpan? MaxEventAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Most events of one shopper in one grain call; a shopper's longer runs go in several calls, in order.</summary>
    public int MaxEventsPerCall { get; set; } = 1_000;

    /// <summary>Offers an <see cref="OfferSubscription"/> holds for its reader; beyond that the oldest is dropped (and counted).</summary>
    public int OfferBufferCapacity { get; set; } = 256;

    /// <summary>
    /// How long <see cref="MicroMomentOrleansClient.ConnectAsync(int, MicroMomentOrleansOptions?, CancellationToken)"/> waits for a
    /// gateway to complete Orleans' handshake before it fails with <see cref="SiloUnreachableException"/>.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws when a setting is out of range; the message names it and says what is expected.</summary>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Tenant) || Tenant.Length > MaxTenantLength || Tenant.AsSpan().ContainsAnyExcept(TenantChars))
            throw new ArgumentException($"Tenant is '{Tenant}'; a tenant is 1 to {MaxTenantLength} letters, digits, '_', '.' or '-' (\"{ClickEvent.DefaultTenant}\" for a single shop).", nameof(Tenant));
        if (MaxClockSkew < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(MaxClockSkew), MaxClockSkew, $"MaxClockSkew must not be negative; got {MaxClockSkew}.");
        if (MaxEventAge is { } age && age <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(MaxEventAge), age, $"MaxEventAge must be positive, or null to accept any age; got {age}.");
        if (ConnectTimeout <= TimeSpan.Zero || ConnectTimeout > TimeSpan.FromDays(1))
            throw new ArgumentOutOfRangeException(nameof(ConnectTimeout), ConnectTimeout, $"ConnectTimeout must be positive and at most a day; got {ConnectTimeout}.");
        if (MaxEventsPerCall < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxEventsPerCall), MaxEventsPerCall, $"MaxEventsPerCall must be at least 1; got {MaxEventsPerCall}.");
        if (OfferBufferCapacity < 1)
            throw new ArgumentOutOfRangeException(nameof(OfferBufferCapacity), OfferBufferCapacity, $"OfferBufferCapacity must be at least 1; got {OfferBufferCapacity}.");
    }

    /// <summary>A copy (the client keeps its own, so later changes to these options do not reach it).</summary>
    internal MicroMomentOrleansOptions Copy() => (MicroMomentOrleansOptions)MemberwiseClone();
}
