using MicroMoment.Gateway.Wire;
using MicroMoment.Silo;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MicroMoment.Gateway.Apis;

/// <summary>/healthz (the process answers) and /readyz (the silo is ready), without a key, for orchestrators.</summary>
internal static class HealthApi
{
    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", Healthz).AllowAnonymous().DisableRateLimiting();
        app.MapGet("/readyz", Readyz).AllowAnonymous().DisableRateLimiting();
        return app;
    }

    /// <summary>Liveness: 200 while the process serves requests.</summary>
    public static Ok<HealthResponse> Healthz() => TypedResults.Ok(new HealthResponse("ok"));

    /// <summary>Readiness: 200 once the silo has restored its state and accepts events, 503 before.</summary>
    public static Results<Ok<HealthResponse>, ProblemHttpResult> Readyz(IMicroMomentSilo silo)
    {
        var statistics = silo.GetStatistics();
        return statistics.Ready
            ? TypedResults.Ok(new HealthResponse("ready", silo.Model.Info.Version, statistics.LiveActivations))
            : Problems.Of(503, "Not ready", "The silo is still restoring state and does not accept events yet; retry shortly.");
    }
}
