using MicroMoment.Gateway.Auth;
using MicroMoment.Gateway.Metrics;
using MicroMoment.Silo;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MicroMoment.Gateway.Apis;

/// <summary>GET /metrics (server key): Prometheus text exposition of the gateway's and the silo's metrics.</summary>
internal static class MetricsApi
{
    /// <summary>Maps the route.</summary>
    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", GetMetrics).RequireAuthorization(GatewayPolicies.Server).DisableRateLimiting();
        return app;
    }

    /// <summary>The metrics as Prometheus text.</summary>
    public static ContentHttpResult GetMetrics(GatewayMetrics metrics, IMicroMomentSilo silo) =>
        TypedResults.Text(metrics.ToPrometheus(silo.GetStatistics()), PrometheusWriter.ContentType);
}
