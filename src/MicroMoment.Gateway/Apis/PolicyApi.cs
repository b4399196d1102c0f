using MicroMoment.Gateway.Auth;
using MicroMoment.Silo;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MicroMoment.Gateway.Apis;

/// <summary>GET /v1/policy (server key): the running trigger policy (version, source, loaded-at, rules) and its reload history.</summary>
internal static class PolicyApi
{
    /// <summary>Maps the route.</summary>
    public static IEndpointRouteBuilder MapPolicyApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/policy", GetPolicy).RequireAuthorization(GatewayPolicies.Server);
        return app;
    }

    /// <summary>200 with the policy status; 503 when the silo does not report one.</summary>
    public static Results<Ok<PolicyStatus>, ProblemHttpResult> GetPolicy(IMicroMomentSilo silo) =>
        silo.GetStatistics().Policy is { } status
            ? TypedResults.Ok(status)
            : Problems.Of(503, "Policy status unavailable", "The silo behind this gateway does not report its trigger policy; expected an embedded silo (MicroMoment.Silo 0.2 or later).");
}
