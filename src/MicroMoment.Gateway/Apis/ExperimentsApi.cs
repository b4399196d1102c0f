using MicroMoment.Gateway.Auth;
using MicroMoment.Silo;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MicroMoment.Gateway.Apis;

/// <summary>GET /v1/experiments and /v1/experiments/{name} (server key): counts per arm, conversion rates with Wilson
/// intervals, lift against the holdout with the mSPRT's always-valid interval and p-value.</summary>
internal static class ExperimentsApi
{
    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapExperimentsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/experiments", GetAll).RequireAuthorization(GatewayPolicies.Server);
        app.MapGet("/v1/experiments/{name}", GetOne).RequireAuthorization(GatewayPolicies.Server);
        return app;
    }

    /// <summary>Every experiment of the running policy, then those known only from their counters.</summary>
    public static async Task<Ok<ExperimentsReport>> GetAll(IMicroMomentSilo silo, CancellationToken cancellationToken) =>
        TypedResults.Ok(await silo.GetExperimentsAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>One experiment (same report shape with one entry); 404 problem+json for a name no policy or counter knows.</summary>
    public static async Task<Results<Ok<ExperimentsReport>, ProblemHttpResult>> GetOne(string name, IMicroMomentSilo silo, CancellationToken cancellationToken)
    {
        var report = await silo.GetExperimentsAsync(cancellationToken).ConfigureAwait(false);
        if (report.Find(name) is { } experiment) return TypedResults.Ok(report with { Experiments = [experiment] });
        string known = report.Experiments.Count == 0 ? "none (the running policy has no experiments: block)" : string.Join(", ", report.Experiments.Select(e => e.Name));
        return Problems.Of(404, "Unknown experiment", $"No experiment is named '{name}' in policy {report.PolicyVersion} or in the stored counters; known experiments: {known}.");
    }
}
