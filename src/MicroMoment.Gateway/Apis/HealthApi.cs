using MicroMoment.Gateway.Wire;
using MicroMoment.Silo;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MicroMoment.Gateway.Apis;

/// <summary>/healthz (the process answers) and /readyz (the silo accepts events), without a key, for orchestrators.</summary>
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

    /// <summary>
    /// Readiness: 200 while the silo accepts every event; 503 with the reason while it cannot (the gateway is stopping,
    /// the silo is shutting down, lost partitions to another owner, or cannot write its state).
    /// </summary>
    public static Results<Ok<HealthResponse>, ProblemHttpResult> Readyz(IMicroMomentSilo silo, IHostApplicationLifetime lifetime)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
            return Problems.Of(503, "Not ready", "The gateway is shutting down; send events to another instance.");
        var statistics = silo.GetStatistics();
        return statistics.Ready
            ? TypedResults.Ok(new HealthResponse("ready", silo.Model.Info.Version, statistics.LiveActivations))
            : Problems.Of(503, "Not ready", statistics.NotReadyReason ?? "The silo does not accept events yet; retry shortly.");
    }
}
