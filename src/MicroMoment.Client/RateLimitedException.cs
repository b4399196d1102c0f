namespace MicroMoment.Client;

/// <summary>The key (or the stream connection) is over its rate limit (429); retry after <see cref="MicroMomentApiException.RetryAfter"/>.</summary>
public sealed class RateLimitedException(string? title, string? detail, TimeSpan retryAfter) : MicroMomentApiException(429, title, detail, retryAfter)
{
    /// <summary>How long to wait before retrying.</summary>
    public new TimeSpan RetryAfter => base.RetryAfter ?? TimeSpan.FromSeconds(1);
}
