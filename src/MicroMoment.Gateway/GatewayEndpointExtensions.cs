using MicroMoment.Gateway.Apis;
using MicroMoment.Gateway.Dashboard;
using MicroMoment.Gateway.Telemetry;

namespace MicroMoment.Gateway;

/// <summary>Adds the gateway's middleware and routes to an application.</summary>
public static class GatewayEndpointExtensions
{
    /// <summary>Adds error handling, request timing, routing, key authentication and authorization, rate limiting and
    /// WebSockets, then maps every gateway route: /v1/events, /v1/stream, /v1/users, /v1/offers, /v1/shopper-tokens, /v1/policy, /v1/experiments,
    /// /v1/alerts, /healthz, /readyz, /metrics, /tracker.js, /demo (with /demo/shopper-token), /favicon.ico and /dashboard.</summary>
    public static WebApplication MapMicroMomentGateway(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseWebSockets();

        app.MapEventsApi();
        app.MapStreamApi();
        app.MapUsersApi();
        app.MapOffersApi();
        app.MapPolicyApi();
        app.MapExperimentsApi();
        app.MapAlertsApi();
        app.MapHealthApi();
        app.MapMicroMomentMetrics();
        app.MapShopperTokensApi();
        app.MapTrackerApi();
        app.MapFaviconApi();
        app.MapDashboard();
        return app;
    }
}
