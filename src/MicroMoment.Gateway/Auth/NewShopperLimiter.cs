using System.Net;
using System.Net.Sockets;

namespace MicroMoment.Gateway.Auth;

/// <summary>
/// Caps how many new shoppers publishable-key callers may bring into being: at most
/// <see cref="GatewayOptions.NewShoppersPerAddressPerMinute"/> per client address (IPv6 counted per /64, the block one
/// subscriber holds) and <see cref="GatewayOptions.NewShoppersPerKeyPerMinute"/> per publishable key, in fixed
/// one-minute windows of the injected clock. A shopper is new when the gateway mints its anonymous id, or when a shopper
/// token names a user the gateway has not admitted in the last 10 to 20 minutes (so a shopper's own requests are not
/// counted again and again).
/// Memory is bounded: the window's counters are dropped when the minute turns and only admitted shoppers add entries
/// (at most the per-key limits), and the recently admitted set keeps two generations of at most
/// <see cref="RecentCapacity"/> ids each. Written here rather than with System.Threading.RateLimiting because its
/// limiters read the wall clock (no TimeProvider) and keep one limiter object per address until it goes idle.
/// </summary>
internal sealed class NewShopperLimiter
{
    /// <summary>Most ids one generation of the recently admitted set holds before it is rotated early.</summary>
    public const int RecentCapacity = 100_000;

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan RecentGeneration = TimeSpan.FromMinutes(10);

    private readonly int _perAddress;
    private readonly int _perKey;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _addresses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _keys = new(StringComparer.Ordinal);
    private HashSet<string> _recent = new(StringComparer.Ordinal);
    private HashSet<string> _older = new(StringComparer.Ordinal);
    private long _window = long.MinValue;
    private DateTimeOffset _generationStarted;

    /// <summary>Creates the limiter with the options' limits.</summary>
    public NewShopperLimiter(GatewayOptions options, TimeProvider time)
    {
        _perAddress = options.NewShoppersPerAddressPerMinute;
        _perKey = options.NewShoppersPerKeyPerMinute;
        _time = time;
        _generationStarted = time.GetUtcNow();
    }

    /// <summary>What a refusal says: which limit was reached, its size, and when the window ends.</summary>
    /// <param name="PerAddress">True when the client address's limit was reached, false for the key's.</param>
    /// <param name="Limit">The limit reached (new shoppers per minute).</param>
    /// <param name="RetryAfter">Time until the window ends.</param>
    public readonly record struct Refusal(bool PerAddress, int Limit, TimeSpan RetryAfter);

    /// <summary>Counts one new shopper (a minted anonymous id) for <paramref name="key"/> from <paramref name="address"/>; false with the refusal when a limit is reached.</summary>
    public bool TryAdmitNew(string key, IPAddress? address, out Refusal refusal) => TryAdmit(null, key, address, out refusal);

    /// <summary>
    /// Admits the shopper <paramref name="userKey"/> (tenant and user id): free when admitted recently, otherwise counted
    /// as a new shopper like <see cref="TryAdmitNew"/>.
    /// </summary>
    public bool TryAdmit(string? userKey, string key, IPAddress? address, out Refusal refusal)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            Roll(now);
            refusal = default;
            if (userKey is not null && IsRecent(userKey, now)) return true;
            var addressKey = key + "|" + AddressKey(address);
            var keyCount = _keys.GetValueOrDefault(key);
            var addressCount = _addresses.GetValueOrDefault(addressKey);
            if (addressCount >= _perAddress || keyCount >= _perKey)
            {
                var windowEnd = new DateTimeOffset((_window + 1) * Window.Ticks, TimeSpan.Zero);
                refusal = new Refusal(addressCount >= _perAddress, addressCount >= _perAddress ? _perAddress : _perKey, windowEnd - now);
                return false;
            }
            _keys[key] = keyCount + 1;
            _addresses[addressKey] = addressCount + 1;
            if (userKey is not null) RememberLocked(userKey, now);
            return true;
        }
    }

    /// <summary>Marks a shopper as admitted now (an anonymous id just minted, so its cookie's first use is not counted again).</summary>
    public void Remember(string userKey)
    {
        var now = _time.GetUtcNow();
        lock (_gate) RememberLocked(userKey, now);
    }

    /// <summary>The part of an address that is counted: an IPv4 address, or the /64 of an IPv6 address.</summary>
    public static string AddressKey(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

    private bool IsRecent(string userKey, DateTimeOffset now)
    {
        if (_recent.Contains(userKey)) return true;
        if (!_older.Remove(userKey)) return false;
        RememberLocked(userKey, now);
        return true;
    }

    private void RememberLocked(string userKey, DateTimeOffset now)
    {
        if (_recent.Count >= RecentCapacity) Rotate(now);
        _recent.Add(userKey);
    }

    private void Roll(DateTimeOffset now)
    {
        var window = now.UtcTicks / Window.Ticks;
        if (window != _window)
        {
            _window = window;
            _addresses.Clear();
            _keys.Clear();
        }
        var age = now - _generationStarted;
        if (age >= RecentGeneration * 2)
        {
            _recent.Clear();
            _older.Clear();
            _generationStarted = now;
        }
        else if (age >= RecentGeneration)
        {
            Rotate(now);
        }
    }

    private void Rotate(DateTimeOffset now)
    {
        (_older, _recent) = (_recent, _older);
        _recent.Clear();
        _generationStarted = now;
    }
}
