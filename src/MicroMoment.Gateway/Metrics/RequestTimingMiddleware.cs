namespace MicroMoment.Gateway.Metrics;

/// <summary>Times every HTTP request (WebSocket sessions excluded) into the request histogram, by route pattern, method and status.</summary>
internal sealed class RequestTimingMiddleware(RequestDelegate next, GatewayMetrics metrics, TimeProvider time)
{
    /// <summary>Runs the rest of the pipeline and records its duration.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.WebSockets.IsWebSocketRequest)
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        var start = time.GetTimestamp();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            metrics.ObserveRequest(route, context.Request.Method, context.Response.StatusCode, time.GetElapsedTime(start).TotalSeconds);
        }
    }
}
