using System.Diagnostics.Metrics;
using MicroMoment.Gateway.Metrics;
using MicroMoment.Gateway.Telemetry;
using MicroMoment.Silo;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace MicroMoment.Gateway.Tests;

public sealed class MetricsAllocationTests
{
    [Fact]
    public void RecordingAllocatesNothingWhileOpenTelemetryAndTheDashboardListen()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var metrics = new GatewayMetrics(factory);
        using var reader = new InstrumentReader(new MeterScopes(factory));
        using var provider = Sdk.CreateMeterProviderBuilder().AddMeter(GatewayMetrics.MeterName).AddReader(new BaseExportingMetricReader(new DiscardingExporter())).Build();

        void PerEvent(int i)
        {
            metrics.CountEvent(IngestStatus.Accepted, null);
            metrics.CountEvent(IngestStatus.Rejected, "unknown-type");
            metrics.CountSignal("dwell");
            metrics.CountMessageReceived();
            metrics.ObserveStreamMessage(0.0001 * (i % 50 + 1));
            metrics.ObserveOfferDelivery(0.001 * (i % 20 + 1));
        }

        for (int i = 0; i < 1000; i++) PerEvent(i);
        provider.ForceFlush();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++) PerEvent(i);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(11_000, metrics.EventsWith(IngestStatus.Accepted));
        Assert.Equal(11_000, reader.TakeInterval("micromoment.gateway.websocket.message.duration").Total.Count); // the dashboard saw every one
    }

    private sealed class DiscardingExporter : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch) => ExportResult.Success;
    }
}
