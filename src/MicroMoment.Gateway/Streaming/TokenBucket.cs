namespace MicroMoment.Gateway.Streaming;

/// <summary>A single-owner token bucket on a <see cref="TimeProvider"/> clock (one per WebSocket connection, used by its receive loop only).</summary>
internal sealed class TokenBucket
{
    private readonly TimeProvider _time;
    private readonly double _perSecond;
    private readonly double _burst;
    private double _tokens;
    private long _last;

    /// <summary>Creates a full bucket.</summary>
    public TokenBucket(TokenBucketSettings settings, TimeProvider time)
    {
        _time = time;
        _perSecond = settings.PerSecond;
        _burst = settings.Burst;
        _tokens = _burst;
        _last = time.GetTimestamp();
    }

    /// <summary>Takes one token; when none is left, says how long until one is.</summary>
    public bool TryTake(out TimeSpan retryAfter)
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_burst, _tokens + _time.GetElapsedTime(_last, now).TotalSeconds * _perSecond);
        _last = now;
        if (_tokens >= 1)
        {
            _tokens -= 1;
            retryAfter = TimeSpan.Zero;
            return true;
        }
        retryAfter = TimeSpan.FromSeconds((1 - _tokens) / _perSecond);
        return false;
    }
}
