using MicroMoment.Gateway.Auth;

namespace MicroMoment.Gateway.Dashboard;

/// <summary>
/// Who may read the dashboard: a request carrying a server key (Authorization: Bearer or X-MicroMoment-Key), or the
/// dashboard cookie set by POST /dashboard/login from a server key. The cookie holds the id of a server-side session
/// (<see cref="DashboardSessions"/>), random per login, never the key; logout and expiry end it.
/// </summary>
internal sealed class DashboardAccess
{
    /// <summary>The cookie's name.</summary>
    public const string CookieName = "mm_dashboard";

    /// <summary>Failed logins allowed in a burst; they are earned back at <see cref="FailedLoginsPerSecond"/>.</summary>
    public const int FailedLoginBurst = 20;

    /// <summary>Failed logins earned back per second (guessing a key by brute force is throttled to this).</summary>
    public const double FailedLoginsPerSecond = 2;

    private readonly KeyRegistry _keys;
    private readonly DashboardSessions _sessions;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private double _failureAllowance = FailedLoginBurst;
    private long _lastRefill;

    /// <summary>Checks keys against <paramref name="keys"/> and cookies against <paramref name="sessions"/>.</summary>
    public DashboardAccess(KeyRegistry keys, DashboardSessions sessions, TimeProvider time)
    {
        _keys = keys;
        _sessions = sessions;
        _time = time;
        _lastRefill = time.GetTimestamp();
    }

    /// <summary>The sessions behind the cookies.</summary>
    public DashboardSessions Sessions => _sessions;

    /// <summary>
    /// Whether a login may be tried now: refused (with how long to wait) while the failed-login allowance is spent, so keys
    /// cannot be guessed faster than <see cref="FailedLoginsPerSecond"/>. While it is spent, correct keys wait too.
    /// </summary>
    public bool MayTryLogin(out TimeSpan retryAfter)
    {
        lock (_gate)
        {
            Refill();
            retryAfter = _failureAllowance >= 1 ? TimeSpan.Zero : TimeSpan.FromSeconds((1 - _failureAllowance) / FailedLoginsPerSecond);
            return _failureAllowance >= 1;
        }
    }

    /// <summary>Spends one failed login from the allowance.</summary>
    public void CountFailedLogin()
    {
        lock (_gate)
        {
            Refill();
            _failureAllowance = Math.Max(0, _failureAllowance - 1);
        }
    }

    private void Refill()
    {
        long now = _time.GetTimestamp();
        _failureAllowance = Math.Min(FailedLoginBurst, _failureAllowance + _time.GetElapsedTime(_lastRefill, now).TotalSeconds * FailedLoginsPerSecond);
        _lastRefill = now;
    }

    /// <summary>The server key <paramref name="secret"/> names, if it is one.</summary>
    public bool TryServerKey(string? secret, out GatewayKey key)
    {
        key = null!;
        return !string.IsNullOrEmpty(secret) && _keys.TryFind(secret, out key) && key.Kind == GatewayKeyKind.Server;
    }

    /// <summary>
    /// Decides whether <paramref name="context"/> may read; null when it may (with the key, and the session id when the
    /// cookie let it in), else the status and why.
    /// </summary>
    public (int Status, string Detail)? Check(HttpContext context, out GatewayKey key, out string? session)
    {
        key = null!;
        session = null;
        string? secret = null;
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) secret = authorization[7..].Trim();
        else if (context.Request.Headers.TryGetValue(GatewayPolicies.KeyHeader, out var header)) secret = header.ToString().Trim();
        if (!string.IsNullOrEmpty(secret))
        {
            if (!_keys.TryFind(secret, out key)) return (401, "The key is not a key of this gateway.");
            if (key.Kind != GatewayKeyKind.Server) return (403, "The dashboard needs a server key; a publishable key may only send events.");
            return null;
        }
        if (context.Request.Cookies.TryGetValue(CookieName, out var token) && !string.IsNullOrEmpty(token))
        {
            if (_sessions.TryGet(token, out key))
            {
                session = token;
                return null;
            }
            return (401, "The dashboard session has ended (logged out, expired, or the gateway restarted); log in again at /dashboard.");
        }
        return (401, $"The dashboard needs a server key: log in at /dashboard, or send 'Authorization: Bearer <server key>' or '{GatewayPolicies.KeyHeader}: <server key>'.");
    }
}
