using MicroMoment.Gateway.Auth;
using MicroMoment.Silo;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MicroMoment.Gateway.Apis;

/// <summary>GET /v1/alerts (server key): the monitoring alerts judged against the running policy's limits.</summary>
internal static class AlertsApi
{
    /// <summary>Maps the route.</summary>
    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/alerts", GetAlerts).RequireAuthorization(GatewayPolicies.Server);
        return app;
    }

    /// <summary>Every alert with its observed value, limit and basis; <c>firing</c> lists the names of those above their limit.</summary>
    public static Ok<AlertsResponse> GetAlerts(IMicroMomentSilo silo)
    {
        var statistics = silo.GetStatistics();
        return TypedResults.Ok(new AlertsResponse(
            statistics.Policy?.Version, statistics.AlertWindow.TotalSeconds, [.. statistics.Alerts.Where(a => a.Firing).Select(a => a.Name)], statistics.Alerts));
    }
}

/// <summary>The answer of GET /v1/alerts.</summary>
/// <param name="PolicyVersion">The policy whose limits were applied.</param>
/// <param name="WindowSeconds">The sliding window the values are computed over.</param>
/// <param name="Firing">Names of the alerts above their limits.</param>
/// <param name="Alerts">Every alert.</param>
public sealed record AlertsResponse(string? PolicyVersion, double WindowSeconds, IReadOnlyList<string> Firing, IReadOnlyList<AlertStatus> Alerts);
