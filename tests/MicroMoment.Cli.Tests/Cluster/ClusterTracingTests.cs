using MicroMoment.Cli.Cluster;
using MicroMoment.Client;
using MicroMoment.Gateway.Tests;
using MicroMoment.Silo;
using Microsoft.Extensions.Configuration;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>
/// A <c>micromoment silo</c> and a <c>micromoment gateway</c> process (localhost membership, state in memory) with
/// Telemetry:TraceSampleRatio and the standard OTEL_EXPORTER_OTLP_* variables: both export spans to one OTLP/HTTP
/// receiver, and an event's trace crosses from the gateway's request into the silo's grain.
/// </summary>
[Collection(ClusterFaultCollection.Name)]
public sealed class ClusterTracingTests
{
    private const string ServerKey = "sk_cluster_tracing_test_0123456789";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task SiloAndGatewayProcessesExportOneTraceThatCrossesFromTheGatewayIntoTheSilo()
    {
        await using var collector = await OtlpCollector.StartAsync();
        int siloPort = ClusterReadiness.FreePort(), gatewayPort = ClusterReadiness.FreePort(), siloHttp = ClusterReadiness.FreePort(), gatewayHttp = ClusterReadiness.FreePort();
        var common = new Dictionary<string, string>
        {
            ["MICROMOMENT__Cluster__Provider"] = "localhost",
            ["MICROMOMENT__Cluster__ClusterId"] = "tracing-" + Guid.NewGuid().ToString("N")[..8],
            ["MICROMOMENT__Storage__Provider"] = "memory",
            ["MICROMOMENT__Telemetry__TraceSampleRatio"] = "1",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.BaseAddress.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            // Spans leave each process within half a second of ending (the SDK's default is 5 s).
            ["OTEL_BSP_SCHEDULE_DELAY"] = "500",
        };

        using var silo = ClusterProcess.Start("silo", "silo", common,
            $"--Cluster:SiloPort={siloPort}", $"--Cluster:GatewayPort={gatewayPort}", $"--Silo:Urls=http://127.0.0.1:{siloHttp}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await ClusterReadiness.WaitReadyAsync(http, silo, new Uri($"http://127.0.0.1:{siloHttp}/"), Within);
        using var gateway = ClusterProcess.Start("gateway", "gateway", new Dictionary<string, string>(common) { ["MICROMOMENT_SERVER_KEY"] = ServerKey },
            $"--Cluster:Gateways:0=127.0.0.1:{gatewayPort}", $"--Gateway:Urls=http://127.0.0.1:{gatewayHttp}");
        var gatewayUri = new Uri($"http://127.0.0.1:{gatewayHttp}/");
        await ClusterReadiness.WaitReadyAsync(http, gateway, gatewayUri, Within);

        using var client = new MicroMomentClient(gatewayUri, ServerKey, new HttpClient { Timeout = TimeSpan.FromSeconds(30) });
        var result = await client.SendAsync(new ShopperEvent { UserId = "ada", Type = EventKind.View, ProductId = 1001, Price = 19.9 });
        Assert.Equal(1, result.Accepted);

        // The user grain's span in the silo process, in the trace the gateway's ingest span began.
        var deadline = DateTime.UtcNow + Within;
        List<OtlpSpan> spans;
        OtlpSpan? ingest, userEvent;
        while (true)
        {
            spans = [.. collector.Traces.SelectMany(body => OtlpSpan.Read(body, ClusterHosting.RoleAttribute))];
            ingest = spans.FirstOrDefault(s => s.Role == "gateway" && s.Name == MicroMomentActivities.Ingest);
            userEvent = ingest is null ? null : spans.FirstOrDefault(s => s.Role == "silo" && s.Name == MicroMomentActivities.UserEvent && s.TraceId == ingest.TraceId);
            // Each process exports its spans as they end, in its own batches: wait for the whole chain, up to the request span.
            if (userEvent is not null && Arrived(spans, userEvent)) break;
            Assert.True(DateTime.UtcNow < deadline,
                $"No trace from the gateway's ingest into the silo's user grain within {Within.TotalSeconds:0} s; spans received: {string.Join(", ", spans.Select(s => $"{s.Role}:{s.Name}"))}\nsilo:\n{silo.Output}\ngateway:\n{gateway.Output}");
            await Task.Delay(200);
        }

        // The chain: user event (silo) ← Orleans' server span (silo) ← Orleans' client span (gateway) ← … ← ingest (gateway).
        var trace = spans.Where(s => s.TraceId == ingest!.TraceId).GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        var server = trace[userEvent.ParentSpanId];
        Assert.Equal("silo", server.Role);
        Assert.Equal(OtlpSpan.Server, server.Kind);
        var call = trace[server.ParentSpanId];
        Assert.Equal("gateway", call.Role);
        Assert.Equal(OtlpSpan.Client, call.Kind);
        bool underIngest = false;
        for (var at = call; trace.TryGetValue(at.ParentSpanId, out var parent); at = parent)
            underIngest |= parent.SpanId == ingest!.SpanId;
        Assert.True(underIngest, "The gateway's grain call does not descend from its ingest span.");
        // The gateway's request span is the trace's root (sampled by Telemetry:TraceSampleRatio=1, no caller's traceparent).
        Assert.Contains(trace.Values, s => s.Role == "gateway" && s.Kind == OtlpSpan.Server && s.ParentSpanId.Length == 0);
    }

    /// <summary>Whether the user event's parent, grandparent and the trace's root span have all arrived (their links are checked after).</summary>
    private static bool Arrived(List<OtlpSpan> spans, OtlpSpan userEvent)
    {
        var trace = spans.Where(s => s.TraceId == userEvent.TraceId).GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        return trace.TryGetValue(userEvent.ParentSpanId, out var server) && trace.ContainsKey(server.ParentSpanId) && trace.Values.Any(s => s.ParentSpanId.Length == 0);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    public void ARatioOutsideZeroToOneIsRefusedNamingTheKey(string ratio)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Telemetry:TraceSampleRatio"] = ratio }).Build();
        var telemetry = ClusterConfiguration.Bind<TelemetrySettings>(configuration, TelemetrySettings.SectionName);

        var error = Assert.Throws<ArgumentException>(() => telemetry.Tracing());

        Assert.StartsWith("Telemetry:TraceSampleRatio is " + ratio, error.Message, StringComparison.Ordinal);
        Assert.True(ClusterConfiguration.IsKnownKey("Telemetry:TraceSampleRatio"));
    }
}
