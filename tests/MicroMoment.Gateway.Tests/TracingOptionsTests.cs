using MicroMoment.Gateway.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace MicroMoment.Gateway.Tests;

/// <summary>When tracing is on, at what ratio, and that a bad ratio is refused with what was expected.</summary>
[Collection(Cluster.TracingCollection.Name)]
public class TracingOptionsTests
{
    private static Func<string, string?> Environment(string? endpoint = null, string? tracesEndpoint = null) => name => name switch
    {
        "OTEL_EXPORTER_OTLP_ENDPOINT" => endpoint,
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT" => tracesEndpoint,
        _ => null,
    };

    [Fact]
    public void TracingIsOffUnlessARatioIsSetOrACollectorIsNamed()
    {
        Assert.Equal(0, new TracingOptions().EffectiveRatio(Environment()));
        Assert.Equal(0, new TracingOptions().EffectiveRatio(Environment(endpoint: "  ")));
        Assert.Equal(TracingOptions.DefaultRatioWithCollector, new TracingOptions().EffectiveRatio(Environment(endpoint: "http://collector:4317")));
        Assert.Equal(TracingOptions.DefaultRatioWithCollector, new TracingOptions().EffectiveRatio(Environment(tracesEndpoint: "http://collector:4318/v1/traces")));
        Assert.Equal(0.25, new TracingOptions { TraceSampleRatio = 0.25 }.EffectiveRatio(Environment()));
        Assert.Equal(0, new TracingOptions { TraceSampleRatio = 0 }.EffectiveRatio(Environment(endpoint: "http://collector:4317")));
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ARatioOutsideZeroToOneIsRefusedSayingWhatIsExpected(double ratio)
    {
        var error = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddMicroMomentTracing(new TracingOptions { TraceSampleRatio = ratio }));
        Assert.Contains("expected a number from 0 (tracing off) to 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OffRegistersNoTracerAndOnRegistersOne()
    {
        var off = new ServiceCollection();
        Assert.False(off.AddMicroMomentTracing(new TracingOptions { TraceSampleRatio = 0 }));
        using (var provider = off.BuildServiceProvider()) Assert.Null(provider.GetService<TracerProvider>());

        var on = new ServiceCollection();
        Assert.True(on.AddMicroMomentTracing(new TracingOptions { TraceSampleRatio = 0.5, ExportOtlp = false }));
        using (var provider = on.BuildServiceProvider()) Assert.NotNull(provider.GetService<TracerProvider>());
    }
}
