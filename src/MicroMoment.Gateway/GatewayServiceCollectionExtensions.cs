using System.Globalization;
using System.Threading.RateLimiting;
using MicroMoment.Gateway.Auth;
using MicroMoment.Gateway.Dashboard;
using MicroMoment.Gateway.Ingestion;
using MicroMoment.Gateway.Metrics;
using MicroMoment.Gateway.Streaming;
using MicroMoment.Gateway.Telemetry;
using MicroMoment.Gateway.Wire;
using MicroMoment.Silo;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MicroMoment.Gateway;

/// <summary>Registers the gateway's services. The host registers the <see cref="IMicroMomentSilo"/> it fronts.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>Adds options (bound from the "Gateway" section, then <paramref name="configure"/>, validated at start), key
    /// authentication, shopper binding (tokens, anonymous cookies, the new-shopper limits), per-key rate limits, problem
    /// details (client faults such as bad or aborted bodies answered as 4xx), JSON, metrics, the offer hub and the
    /// ingestion pipeline.</summary>
    public static IServiceCollection AddMicroMomentGateway(this IServiceCollection services, Action<GatewayOptions>? configure = null)
    {
        var options = services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName);
        if (configure is not null) options.Configure(configure);
        options.Validate(o =>
        {
            o.Validate();
            return true;
        }).ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddMicroMomentMetrics();
        services.AddSingleton<OfferHub>();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<GatewayOptions>>().Value;
            return new SignalStore(o.MaxSignalsPerUser, o.MaxSignalUsers);
        });
        services.AddSingleton<EventIngestor>();
        services.AddSingleton(sp => new KeyRegistry(sp.GetRequiredService<IOptions<GatewayOptions>>().Value));
        services.AddSingleton(sp => new ShopperTokens(sp.GetRequiredService<IOptions<GatewayOptions>>().Value));
        services.AddSingleton(sp => new NewShopperLimiter(sp.GetRequiredService<IOptions<GatewayOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ShopperBinder>();
        services.AddHostedService<OfferSubscription>();
        services.AddMicroMomentDashboard();

        services.AddProblemDetails();
        services.AddExceptionHandler<Apis.ClientFaultExceptionHandler>();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, GatewayJsonContext.Default);
            json.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
        });
        services.AddAuthentication(GatewayPolicies.Scheme).AddScheme<AuthenticationSchemeOptions, KeyAuthenticationHandler>(GatewayPolicies.Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(GatewayPolicies.Events, p => p.RequireClaim(GatewayPolicies.KindClaim, "server", "publishable"))
            .AddPolicy(GatewayPolicies.Server, p => p.RequireClaim(GatewayPolicies.KindClaim, "server"));
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(Partition);
            limiter.OnRejected = OnRateLimitedAsync;
        });
        return services;
    }

    private static RateLimitPartition<string> Partition(HttpContext context)
    {
        if (context.Features.Get<GatewayCaller>() is not { } caller) return RateLimitPartition.GetNoLimiter("anonymous");
        var options = context.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value;
        return caller.Kind == GatewayKeyKind.Server
            ? RateLimitPartition.GetTokenBucketLimiter("s|" + caller.Key.Key, _ => Bucket(options.ServerRateLimit))
            : RateLimitPartition.GetTokenBucketLimiter("p|" + caller.Key.Key + "|" + context.Connection.RemoteIpAddress, _ => Bucket(options.PublishableRateLimit));
    }

    private static TokenBucketRateLimiterOptions Bucket(TokenBucketSettings settings)
    {
        // Refill in tenths of a second where the rate allows, so a bucket never empties and refills in one-second lumps.
        var (period, tokens) = settings.PerSecond >= 10
            ? (TimeSpan.FromMilliseconds(100), (settings.PerSecond + 9) / 10)
            : (TimeSpan.FromSeconds(1.0 / settings.PerSecond), 1);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.Burst,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    private static async ValueTask OnRateLimitedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var caller = context.Features.Get<GatewayCaller>();
        var kind = caller?.Kind == GatewayKeyKind.Publishable ? "publishable" : "server";
        context.RequestServices.GetRequiredService<GatewayMetrics>().CountRateLimited(kind);
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var options = context.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var limit = kind == "server" ? options.ServerRateLimit : options.PublishableRateLimit;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Rate limited",
                Detail = $"This {kind} key may make {limit.PerSecond} requests per second{(kind == "publishable" ? " per client address" : "")} (bursts of {limit.Burst}); retry after {seconds} s, or send more events per request.",
            },
        }).ConfigureAwait(false);
    }

    /// <summary>Subscribes the offer hub to the silo when the host starts.</summary>
    private sealed class OfferSubscription(IMicroMomentSilo silo, OfferHub hub) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            silo.Subscribe(hub);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
