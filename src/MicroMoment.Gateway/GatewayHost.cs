using MicroMoment.Silo;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace MicroMoment.Gateway;

/// <summary>
/// A running gateway on Kestrel in front of a silo: what <c>micromoment serve</c>, the tests and the benchmarks host.
/// Either it fronts a silo the caller owns (disposing the gateway leaves the silo open), or the silo is co-hosted in the
/// gateway's own application (the builder callback adds it, and it stops with the gateway).
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private GatewayHost(WebApplication app, Uri baseAddress, GatewayOptions options)
    {
        App = app;
        BaseAddress = baseAddress;
        Options = options;
    }

    /// <summary>The application (for its services).</summary>
    public WebApplication App { get; }

    /// <summary>The address Kestrel bound, e.g. http://127.0.0.1:5080/ (the real port when the options asked for port 0).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The options the gateway runs with.</summary>
    public GatewayOptions Options { get; }

    /// <summary>The gateway's metrics.</summary>
    public Metrics.GatewayMetrics Metrics => App.Services.GetRequiredService<Metrics.GatewayMetrics>();

    /// <summary>How long a gateway whose start failed waits for its host to be disposed before it reports the failure.</summary>
    internal static readonly TimeSpan FailedStartDisposalLimit = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Builds and starts a gateway in front of <paramref name="silo"/>. Options come from the "Gateway" configuration section,
    /// then <paramref name="configure"/>, and are validated before anything starts.
    /// </summary>
    /// <param name="silo">The silo to front (not disposed by the gateway), or null when <paramref name="configureBuilder"/> co-hosts one
    /// that registers <see cref="IMicroMomentSilo"/> itself.</param>
    /// <param name="configure">Sets the options (keys, Urls, limits).</param>
    /// <param name="configureBuilder">Optional further set-up of the host (logging, services, a co-hosted silo).</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <param name="configureApp">Optional routes mapped after the gateway's (e.g. Orleans' dashboard).</param>
    public static async Task<GatewayHost> StartAsync(
        IMicroMomentSilo? silo, Action<GatewayOptions> configure, Action<WebApplicationBuilder>? configureBuilder = null, CancellationToken cancellationToken = default,
        Action<WebApplication>? configureApp = null)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = WebApplication.CreateSlimBuilder();
        var options = new GatewayOptions();
        builder.Configuration.GetSection(GatewayOptions.SectionName).Bind(options);
        configure(options);
        options.Validate();

        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        if (silo is not null) builder.Services.AddSingleton(silo);
        builder.Services.AddMicroMomentGateway(configure);
        configureBuilder?.Invoke(builder);

        var app = builder.Build();
        // A silo started in this process with its own services reports through this gateway's metrics too.
        if (silo is Silo.Monitoring.ISiloMeterScope { MeterScope: { } siloMeters })
            app.Services.GetRequiredService<Telemetry.MeterScopes>().Add(siloMeters);
        app.MapMicroMomentGateway();
        configureApp?.Invoke(app);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Disposing a host whose Orleans client failed to start (its membership store out of reach) can wait forever on
            // the client; the start's own failure is what the caller must see, so the disposal gets a bounded wait.
            try
            {
                await app.DisposeAsync().AsTask().WaitAsync(FailedStartDisposalLimit).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }

            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel started without reporting an address.");
        return new GatewayHost(app, new Uri(address.EndsWith('/') ? address : address + "/"), options);
    }

    /// <summary>Waits until the host is shut down (Ctrl+C or <paramref name="cancellationToken"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => App.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops the gateway and releases the port.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await App.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await App.DisposeAsync().ConfigureAwait(false);
        }
    }
}
