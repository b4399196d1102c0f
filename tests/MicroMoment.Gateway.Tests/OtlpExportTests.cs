using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using MicroMoment.Gateway.Telemetry;

namespace MicroMoment.Gateway.Tests;

public sealed class OtlpExportTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task MetricsArePushedToTheConfiguredOtlpEndpoint()
    {
        await using var collector = await OtlpCollector.StartAsync();
        await using var gateway = await TestGateway.StartAsync(configure: o => o.Telemetry = new TelemetryOptions { OtlpEndpoint = collector.BaseAddress, OtlpExportInterval = TimeSpan.FromMilliseconds(200) });
        await Json.PostAsync(gateway.Server, "/v1/events", new JsonArray(Json.Event("u1", "e1")).ToJsonString());

        // The first export after the request carries ASP.NET Core's duration of it, beside the project's and the silo's instruments.
        var (contentType, body) = await collector.WaitForAsync("http.server.request.duration", Timeout);

        Assert.Equal("application/x-protobuf", contentType);
        Assert.True(body.AsSpan().IndexOf("micromoment.gateway.events"u8) >= 0);
        Assert.True(body.AsSpan().IndexOf("micromoment.grain.event.duration"u8) >= 0);
    }

    [Fact]
    public async Task TheStandardEnvironmentSettingsTurnOtlpExportOnWithoutTheOption()
    {
        await using var collector = await OtlpCollector.StartAsync();
        await using var gateway = await TestGateway.StartAsync(
            configure: o => o.Telemetry = new TelemetryOptions { OtlpExportInterval = TimeSpan.FromMilliseconds(200) },
            configureBuilder: b =>
            {
                // What OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_PROTOCOL in the environment become (configuration reads the environment).
                b.Configuration[TelemetryOptions.OtlpEndpointVariable] = collector.BaseAddress.ToString().TrimEnd('/');
                b.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            });

        var (contentType, _) = await collector.WaitForAsync("micromoment.gateway.events", Timeout);

        Assert.Equal("application/x-protobuf", contentType);
    }

    [Theory]
    [InlineData("collector:4317", null, "OTEL_EXPORTER_OTLP_ENDPOINT")]
    [InlineData("http://collector:4317", "thrift", "OTEL_EXPORTER_OTLP_PROTOCOL")]
    public void UnusableEnvironmentSettingsAreRefusedNamingTheVariable(string endpoint, string? protocol, string named)
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [TelemetryOptions.OtlpEndpointVariable] = endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol,
        }).Build();

        var error = Assert.Throws<ArgumentException>(() => MetricsServiceCollectionExtensions.OtlpExporter(new TelemetryOptions(), configuration));

        Assert.StartsWith(named, error.Message, StringComparison.Ordinal);
        Assert.Contains(protocol ?? endpoint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAnEndpointNothingIsExported() =>
        Assert.Null(MetricsServiceCollectionExtensions.OtlpExporter(new TelemetryOptions(), new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()));

    [Fact]
    public void AnEndpointThatIsNotHttpIsRefusedWithWhatWasExpected()
    {
        var error = Assert.Throws<ArgumentException>(() => new TelemetryOptions { OtlpEndpoint = new Uri("ftp://collector:4318") }.Validate());
        Assert.Contains("http://", error.Message, StringComparison.Ordinal);
        Assert.Contains("ftp://collector:4318", error.Message, StringComparison.Ordinal);
    }
}
