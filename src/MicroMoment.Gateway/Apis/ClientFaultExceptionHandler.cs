using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Diagnostics;

namespace MicroMoment.Gateway.Apis;

/// <summary>
/// Answers exceptions that are the client's doing, not the gateway's, as 4xx problem+json and logs them at Debug only:
/// a request Kestrel found bad (a body over the limit, a truncated or malformed body, a body arriving slower than
/// MinRequestBodyDataRate: <see cref="BadHttpRequestException"/> with its status), and a client that went away
/// mid-request (connection reset, request aborted), for which nothing is written. Every other exception is left to
/// the default handler (500, logged as an error). Exceptions handled here raise no error diagnostics.
/// </summary>
internal sealed partial class ClientFaultExceptionHandler(IProblemDetailsService problems, ILogger<ClientFaultExceptionHandler> logger) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var aborted = httpContext.RequestAborted.IsCancellationRequested;
        int status;
        switch (exception)
        {
            case BadHttpRequestException bad:
                status = bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : StatusCodes.Status400BadRequest;
                break;
            case ConnectionResetException:
            case IOException when aborted:
            case OperationCanceledException when aborted:
                LogClientGone(logger, httpContext.Request.Method, httpContext.Request.Path, exception.GetType().Name);
                // Nobody is left to read an answer; 499 (client closed request) keeps it out of the 5xx counts.
                if (!httpContext.Response.HasStarted) httpContext.Response.StatusCode = StatusCodes.Status499ClientClosedRequest;
                return true;
            default:
                return false;
        }
        LogBadRequest(logger, httpContext.Request.Method, httpContext.Request.Path, status, exception.Message);
        if (aborted || httpContext.Response.HasStarted) return true;
        httpContext.Response.StatusCode = status;
        var (title, expected) = status switch
        {
            StatusCodes.Status413PayloadTooLarge => ("Body too large", "send a smaller body"),
            StatusCodes.Status408RequestTimeout => ("Request timeout", "send the body without long pauses"),
            StatusCodes.Status431RequestHeaderFieldsTooLarge => ("Headers too large", "send fewer or shorter headers"),
            _ => ("Bad request", "send a complete, well-formed request"),
        };
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = $"{exception.Message.TrimEnd('.')}; {expected}." },
        }).ConfigureAwait(false);
        return true;
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Debug, Message = "{Method} {Path}: the client sent a bad request ({Status}): {Reason}")]
    private static partial void LogBadRequest(ILogger logger, string method, string path, int status, string reason);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "{Method} {Path}: the client went away mid-request ({Exception})")]
    private static partial void LogClientGone(ILogger logger, string method, string path, string exception);
}
