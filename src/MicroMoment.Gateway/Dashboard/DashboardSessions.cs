using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace MicroMoment.Gateway.Dashboard;

/// <summary>
/// The dashboard's logins, held on the server: each login gets a new random session id (256 bits, the cookie's value),
/// which logout ends and which expires <see cref="DashboardOptions.SessionLifetime"/> after the login (absolute, on the
/// injected clock). At most <see cref="DashboardOptions.MaxSessions"/> are held; a login beyond that ends the oldest.
/// Sessions live in memory, so a restart logs everyone out.
/// </summary>
internal sealed class DashboardSessions
{
    private readonly TimeSpan _lifetime;
    private readonly int _capacity;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    /// <summary>Creates an empty store with the dashboard options' lifetime and capacity.</summary>
    public DashboardSessions(IOptions<GatewayOptions> options, TimeProvider time)
    {
        _lifetime = options.Value.Dashboard.SessionLifetime;
        _capacity = options.Value.Dashboard.MaxSessions;
        _time = time;
    }

    /// <summary>Sessions held (expired ones are counted until they are next looked at or swept).</summary>
    public int Count
    {
        get
        {
            lock (_gate) return _sessions.Count;
        }
    }

    /// <summary>How long a session lasts.</summary>
    public TimeSpan Lifetime => _lifetime;

    /// <summary>Starts a session for <paramref name="key"/> and returns its id.</summary>
    public string Start(GatewayKey key)
    {
        var id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_sessions.Count >= _capacity)
            {
                foreach (var stale in _sessions.Where(s => s.Value.ExpiresAt <= now).Select(s => s.Key).ToList()) _sessions.Remove(stale);
                while (_sessions.Count >= _capacity) _sessions.Remove(_sessions.MinBy(s => s.Value.ExpiresAt).Key);
            }
            _sessions[id] = new Session(key, now + _lifetime);
        }
        return id;
    }

    /// <summary>The server key of a live session; false (and the session forgotten) when it is unknown, ended or expired.</summary>
    public bool TryGet(string? id, out GatewayKey key)
    {
        key = null!;
        if (string.IsNullOrEmpty(id)) return false;
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_sessions.TryGetValue(id, out var session)) return false;
            if (session.ExpiresAt <= now)
            {
                _sessions.Remove(id);
                return false;
            }
            key = session.Key;
            return true;
        }
    }

    /// <summary>Ends a session (logout); false when there was none.</summary>
    public bool End(string? id)
    {
        if (string.IsNullOrEmpty(id)) return false;
        lock (_gate) return _sessions.Remove(id);
    }

    private readonly record struct Session(GatewayKey Key, DateTimeOffset ExpiresAt);
}
