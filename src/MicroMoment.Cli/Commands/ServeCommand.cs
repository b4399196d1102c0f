using System.CommandLine;
using System.Runtime.CompilerServices;
using MicroMoment.Artifacts;
using MicroMoment.Gateway;
using MicroMoment.Scoring;
using MicroMoment.Gateway.Dashboard;
using MicroMoment.Gateway.Telemetry;
using MicroMoment.Silo;
using MicroMoment.Silo.Execution;
using MicroMoment.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace MicroMoment.Cli.Commands;

/// <summary>
/// <c>micromoment serve</c>: the embedded silo (bundled model, SQLite state under --data-dir) behind the gateway on
/// Kestrel; prints the URLs (gateway, demo shop, tracker, metrics) and the keys, and runs until Ctrl+C.
/// </summary>
internal static class ServeCommand
{
    /// <summary>Environment variable holding the server key.</summary>
    public const string ServerKeyVariable = "MICROMOMENT_SERVER_KEY";

    /// <summary>Environment variable holding the publishable key.</summary>
    public const string PublishableKeyVariable = "MICROMOMENT_PUBLISHABLE_KEY";

    public static Command Create()
    {
        var model = new Option<FileInfo?>("--model") { Description = "Model file (default: the bundled model)" };
        var policy = new Option<FileInfo?>("--policy") { Description = "Trigger policy file, YAML or JSON, reloaded when it changes (default: policies/default.yaml)" };
        var dataDir = new Option<DirectoryInfo>("--data-dir") { Description = "Folder of the silo's SQLite state (one serve per folder: it is locked while serve runs)", DefaultValueFactory = _ => new DirectoryInfo("data") };
        var urls = new Option<string>("--urls") { Description = "Where the gateway listens", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var serverKey = new Option<string?>("--server-key") { Description = $"Server key (default: ${ServerKeyVariable}, the Gateway:Keys configuration, or a generated key)" };
        var publishableKey = new Option<string?>("--publishable-key") { Description = $"Publishable key for browsers (default: ${PublishableKeyVariable}, configuration, or generated)" };
        var tenant = new Option<string>("--tenant") { Description = "Tenant (shop) of the keys", DefaultValueFactory = _ => Events.ClickEvent.DefaultTenant };
        var otlpEndpoint = new Option<Uri?>("--otlp-endpoint")
        {
            Description = $"Also push metrics over OTLP/HTTP (protobuf) to this collector base address, e.g. http://127.0.0.1:4318 (default: ${Gateway.Telemetry.TelemetryOptions.OtlpEndpointVariable} when set)",
            CustomParser = r => Uri.TryCreate(r.Tokens.Single().Value, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" ? u
                : Fail(r, $"--otlp-endpoint must be an absolute http:// or https:// address such as http://127.0.0.1:4318; got '{r.Tokens.Single().Value}'."),
        };
        var noOrleansMetrics = new Option<bool>("--no-orleans-metrics") { Description = "Leave Orleans' own meter out of /metrics and OTLP (Orleans then records no per-message metrics; see docs/metrics.md for the cost)" };
        var historical = new Option<bool>("--accept-historical") { Description = "Accept events of any age (to replay historical logs such as REES46 2019); by default events older than 7 days are rejected" };
        var durability = new Option<string>("--durability")
        {
            Description = "When grain state is written: checkpoint (within a second of a change, every 64 changes, and when a shopper goes idle; an acknowledged event may be lost in a crash until then) or every-event (before the event is acknowledged)",
            DefaultValueFactory = _ => "checkpoint",
        };
        durability.AcceptOnlyFromAmong("checkpoint", "every-event");
        var orleansPort = new Option<int>("--orleans-port") { Description = "Loopback port of the Orleans client gateway for .NET backends using Orleans' client (0: none)", DefaultValueFactory = _ => ServeSettings.DefaultOrleansPort };
        var orleansProfiling = new Option<bool>("--orleans-profiling")
        {
            Description = "Let Orleans' dashboard (/orleans) time every grain call while it is watched (its per-method calls and latencies); off by default: it costs CPU on every event",
        };
        var command = new Command("serve", "Run the Orleans silo and the HTTP/WebSocket gateway in one process, with the tracker, a demo shop and the dashboards");
        var backend = new Option<string>("--backend")
        {
            Description = "The model backend: simd (the project's CPU kernel), onnx-cpu, onnx-cuda (ONNX Runtime; needs a build with -p:OnnxRuntimeNatives=gpu|cpu), or auto (CUDA when it starts here, else simd)",
            DefaultValueFactory = _ => SimdStepBackend.BackendName,
        };
        backend.AcceptOnlyFromAmong([.. StepBackendFactory.Names]);
        foreach (var o in new Option[] { model, policy, dataDir, urls, serverKey, publishableKey, tenant, historical, otlpEndpoint, noOrleansMetrics, durability, orleansPort, orleansProfiling, backend }) command.Options.Add(o);
        var traceSampleRatio = new Option<double?>("--trace-sample-ratio")
        {
            Description = "Share of events traced and exported over OTLP (0 to 1; 0: off). Default: 0.01 when OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) names a collector, else off",
        };
        command.Options.Add(traceSampleRatio);
        command.SetAction((ParseResult parse, CancellationToken ct) => RunAsync(AnsiConsole.Console, new ServeSettings
        {
            Model = parse.GetValue(model),
            Policy = parse.GetValue(policy),
            DataDirectory = parse.GetValue(dataDir)!,
            Urls = parse.GetValue(urls)!,
            ServerKey = parse.GetValue(serverKey) ?? KeyChoice.FromEnvironment(ServerKeyVariable),
            PublishableKey = parse.GetValue(publishableKey) ?? KeyChoice.FromEnvironment(PublishableKeyVariable),
            Tenant = parse.GetValue(tenant)!,
            AcceptHistorical = parse.GetValue(historical),
            OtlpEndpoint = parse.GetValue(otlpEndpoint),
            OrleansMetrics = !parse.GetValue(noOrleansMetrics),
            Durability = parse.GetValue(durability) == "every-event" ? Durability.EveryEvent : Durability.Checkpoint,
            OrleansPort = parse.GetValue(orleansPort),
            Backend = parse.GetValue(backend)!,
            OrleansProfiling = parse.GetValue(orleansProfiling),
            LogColor = ConsoleStyle.UseColor(),
            TraceSampleRatio = parse.GetValue(traceSampleRatio),
        }, ct));
        return command;
    }

    private static Uri? Fail(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return null;
    }

    /// <summary>The state file of the silo runtime that came before Orleans; this version does not read it.</summary>
    internal const string LegacyStateFileName = "silo-state.db";

    /// <summary>Serves until <paramref name="cancellationToken"/> is cancelled (Ctrl+C), then stops the gateway and flushes the silo.</summary>

    internal static async Task<int> RunAsync(IAnsiConsole console, ServeSettings settings, CancellationToken cancellationToken)
    {
        ServeSession session;
        try
        {
            session = await StartAsync(console, settings, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ExitCodes.ForStartFailure(ex) is int code)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return code;
        }
        await using (session.ConfigureAwait(false))
        {
            console.MarkupLine("Press [bold]Ctrl+C[/] to stop.");
            try
            {
                await session.Gateway.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            console.MarkupLine("Stopping: closing connections and flushing the silo's state.");
        }
        return ExitCodes.Success;
    }

    /// <summary>
    /// Locks the data directory (before anything else, so a second <c>serve</c> on it stops before touching the first
    /// one's state or ports), loads the model, starts the silo and the gateway, and prints where everything is.
    /// </summary>
    internal static async Task<ServeSession> StartAsync(IAnsiConsole console, ServeSettings settings, CancellationToken cancellationToken)
    {
        var directoryLock = DataDirectoryLock.Acquire(settings.DataDirectory.FullName);
        try
        {
            return await StartLockedAsync(console, settings, directoryLock, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            directoryLock.Dispose();
            throw;
        }
    }

    private static async Task<ServeSession> StartLockedAsync(IAnsiConsole console, ServeSettings settings, DataDirectoryLock directoryLock, CancellationToken cancellationToken)
    {
        var modelFile = settings.Model ?? QuickstartCommand.BundledModel();
        var model = MicroMomentModel.Load(modelFile.FullName);
        console.MarkupLineInterpolated($"Model:    [bold]{model}[/]");
        console.MarkupLineInterpolated($"Backend:  [bold]{settings.Backend}[/]");
        if (!model.HasBuyHead)
            console.MarkupLine("[yellow]The model has no buy head (its training log held no purchases): it scores no buy probability, and buy-intent rules never fire.[/]");
        if (!model.HasExitHead)
            console.MarkupLine("[yellow]The model has no exit head: it scores no exit probability, and exit-intent rules never fire.[/]");
        var policyFile = settings.Policy ?? QuickstartCommand.DefaultPolicy();
        if (!policyFile.Exists)
            throw new ArgumentException($"The policy file {policyFile.FullName} does not exist; expected a YAML or JSON trigger policy (see policies/default.yaml).");
        if (settings.OrleansPort is < 0 or > 65_535)
            throw new ArgumentException($"--orleans-port is {settings.OrleansPort}; expected a TCP port (1 to 65,535), or 0 for no Orleans client gateway.");
        if (File.Exists(Path.Combine(settings.DataDirectory.FullName, LegacyStateFileName)))
        {
            console.MarkupLineInterpolated(
                $"[yellow]{Path.Combine(settings.DataDirectory.FullName, LegacyStateFileName)} was written by a version before the Orleans silo and is not read: shoppers start with fresh sessions (state now goes to {SqliteGrainStorageOptions.DefaultFileName}). Delete the old file (with its -wal and -shm files) once you no longer need it.[/]");
        }

        var tracing = new TracingOptions { TraceSampleRatio = settings.TraceSampleRatio };
        tracing.Validate();
        double traceRatio = tracing.EffectiveRatio();
        // Until the silo runs, only MicroMoment's own messages are written: a start that fails (a damaged state file, a
        // backend that cannot start) is reported once, by serve, without Orleans' and the host's copies and their stack traces.
        var siloStarted = new StrongBox<bool>();
        var silo = await EmbeddedSilo.StartAsync(model, new SiloOptions
        {
            DataDirectory = settings.DataDirectory.FullName,
            PolicyPath = policyFile.FullName,
            Durability = settings.Durability,
            Backend = settings.Backend,
        }, cancellationToken: cancellationToken, gatewayPort: settings.OrleansPort, configure: orleans =>
        {
            orleans.AddOrleansDashboard(settings.OrleansProfiling);
            // The silo's messages (policy reloads, state write failures) go to the console log with the gateway's.
            orleans.Services.AddLogging(logging =>
            {
                ConfigureSiloLogging(logging, settings.LogColor, () => Volatile.Read(ref siloStarted.Value));
                settings.Logging?.Invoke(logging);
            });
            // Traces follow events into the grains (the gateway's tracer, registered below, listens process-wide).
            if (traceRatio > 0) orleans.AddActivityPropagation();
        }).ConfigureAwait(false);
        Volatile.Write(ref siloStarted.Value, true);

        var keys = new KeyChoice(settings.ServerKey, settings.PublishableKey, settings.Tenant);

        GatewayHost gateway;
        try
        {
            gateway = await GatewayHost.StartAsync(silo, o =>
            {
                o.Urls = settings.Urls;
                keys.Apply(o);
                if (settings.AcceptHistorical) o.MaxEventAge = null;
                if (settings.OtlpEndpoint is { } otlp) o.Telemetry = o.Telemetry with { OtlpEndpoint = otlp };
                if (!settings.OrleansMetrics) o.Telemetry = o.Telemetry with { OrleansMetrics = false };
            }, builder =>
            {
                ConfigureLogging(builder.Logging, settings.LogColor);
                settings.Logging?.Invoke(builder.Logging);
                builder.Services.AddMicroMomentTracing(tracing);
                // The dashboard's Grains and Silos pages read Orleans' statistics through the silo's own grain factory.
                builder.Services.AddOrleansClusterStatistics(silo);
                // Orleans' dashboard is an Orleans client of the silo next door; events reach the grains in process.
                if (settings.OrleansPort != 0) builder.UseOrleansDashboardClient(settings.OrleansPort);
            }, cancellationToken, app =>
            {
                if (settings.OrleansPort != 0) app.MapOrleansDashboardBehindLogin();
            }).ConfigureAwait(false);
        }
        catch
        {
            await silo.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var root = gateway.BaseAddress;
        console.MarkupLineInterpolated($"Policy:   [bold]{policyFile.FullName}[/] (version {silo.PolicyStatus.Version}, {silo.PolicyStatus.Rules.Count} rules; reloaded when it changes, see /v1/policy)");
        console.MarkupLineInterpolated($"State:    [bold]{silo.StatePath}[/] (durability: {(settings.Durability == Durability.EveryEvent ? "every event is written before it is acknowledged" : "checkpoints within a second of a change")})");
        console.MarkupLineInterpolated($"Gateway:  [bold]{root}[/]  (POST {root}v1/events, WebSocket {new UriBuilder(root) { Scheme = root.Scheme == "https" ? "wss" : "ws" }.Uri}v1/stream)");
        console.MarkupLineInterpolated($"Demo:     [bold]{root}demo[/]");
        console.MarkupLineInterpolated($"Dashboard: [bold]{root}dashboard[/] (log in with the server key)");
        if (settings.OrleansPort != 0)
        {
            console.MarkupLineInterpolated($"Orleans:  [bold]{root}orleans[/] (Orleans' own dashboard, same login; grain call profiling {(settings.OrleansProfiling ? "on" : "off, --orleans-profiling turns it on")})");
            console.MarkupLineInterpolated($"Orleans gateway: [bold]127.0.0.1:{settings.OrleansPort}[/] (service id {EmbeddedSilo.ServiceId}, cluster id {EmbeddedSilo.ClusterId}) for .NET backends using Orleans' client");
        }
        console.MarkupLineInterpolated($"Tracker:  [bold]{root}tracker.js[/]");
        console.MarkupLineInterpolated($"Metrics:  [bold]{root}metrics[/] (server key)");
        console.MarkupLineInterpolated($"Health:   {root}healthz, {root}readyz");
        keys.Print(console, gateway.Options);
        if (settings.AcceptHistorical) console.MarkupLine("[yellow]Accepting events of any age (--accept-historical).[/]");
        console.MarkupLineInterpolated($"Tracing:  {(traceRatio > 0 ? $"{traceRatio:P1} of events, exported over OTLP (OTEL_EXPORTER_OTLP_ENDPOINT, default http://localhost:4317)" : "off (--trace-sample-ratio, or OTEL_EXPORTER_OTLP_ENDPOINT, turns it on)")}");
        return new ServeSession(gateway, silo, directoryLock);
    }

    /// <summary>
    /// The console log of the gateway and the silo: MicroMoment's own messages from Information up (policy reloads),
    /// everything else (ASP.NET Core, Orleans) from Warning, one line each with its event id, coloured only when
    /// <paramref name="color"/> says so.
    /// </summary>
    internal static ILoggingBuilder ConfigureLogging(ILoggingBuilder logging, bool color) =>
        logging.AddSimpleConsole(c =>
        {
            c.SingleLine = true;
            c.ColorBehavior = ConsoleStyle.LogColors(color);
        }).SetMinimumLevel(LogLevel.Warning).AddFilter("MicroMoment", LogLevel.Information);

    /// <summary>
    /// The silo's console log: as <see cref="ConfigureLogging"/>, and until <paramref name="siloStarted"/> says so only
    /// MicroMoment's own messages (a failed start is reported once, without Orleans' stack traces).
    /// </summary>
    internal static ILoggingBuilder ConfigureSiloLogging(ILoggingBuilder logging, bool color, Func<bool> siloStarted) =>
        // A filter function replaces the level rules for the categories it matches, so it applies the levels too.
        ConfigureLogging(logging, color).AddFilter((category, level) => category?.StartsWith("MicroMoment", StringComparison.Ordinal) == true
            ? level >= LogLevel.Information
            : level >= LogLevel.Warning && siloStarted());
}
