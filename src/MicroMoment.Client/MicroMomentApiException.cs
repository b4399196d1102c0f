namespace MicroMoment.Client;

/// <summary>The gateway answered with an error (RFC 7807 problem): its status, title and detail.</summary>
public class MicroMomentApiException : Exception
{
    /// <summary>Creates the exception from a problem answer.</summary>
    public MicroMomentApiException(int status, string? title, string? detail, TimeSpan? retryAfter = null)
        : base($"MicroMoment gateway answered {status}{(title is null ? "" : " " + title)}{(detail is null ? "" : ": " + detail)}")
    {
        Status = status;
        Title = title;
        Detail = detail;
        RetryAfter = retryAfter;
    }

    /// <summary>HTTP status (or the status in a stream error message).</summary>
    public int Status { get; }

    /// <summary>The problem's title.</summary>
    public string? Title { get; }

    /// <summary>What was wrong and what was expected.</summary>
    public string? Detail { get; }

    /// <summary>How long to wait before retrying, when the gateway said.</summary>
    public TimeSpan? RetryAfter { get; }
}
