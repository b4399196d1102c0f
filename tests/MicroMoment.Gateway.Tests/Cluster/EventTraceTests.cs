using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using MicroMoment.Events;
using MicroMoment.Gateway.Telemetry;
using MicroMoment.Silo;
using MicroMoment.Silo.Tests.Cluster;
using Orleans.Hosting;
using OpenTelemetry.Trace;

namespace MicroMoment.Gateway.Tests.Cluster;

/// <summary>
/// One event's path as one trace across two silos: the gateway's request (on silo B's side), the user grain and the
/// trigger grain (on silo A, where the shopper's grains live), the executor batch, and the offer's delivery back on B.
/// </summary>
[Collection(TracingCollection.Name)]
public class EventTraceTests
{
    private const string Shopper = "ada";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task AnEventPostedToTheGatewayIsOneTraceFromTheRequestThroughBothSilosToTheOffersDelivery()
    {
        var spans = new List<Activity>();
        await using var cluster = await TwoSiloCluster.StartAsync(BundledModel.Model, Options, configure: s => s.AddActivityPropagation());
        await PlaceOnAAsync(cluster);
        await using var gateway = await GatewayHost.StartAsync(cluster.FrontOf(cluster.B), o =>
        {
            o.Urls = "http://127.0.0.1:0";
            o.Keys =
            [
                new GatewayKey { Key = TestGateway.ServerKey, Tenant = TestGateway.Tenant, Kind = GatewayKeyKind.Server },
                new GatewayKey { Key = TestGateway.PublishableKey, Tenant = TestGateway.Tenant, Kind = GatewayKeyKind.Publishable },
            ];
        }, b => Assert.True(b.Services.AddMicroMomentTracing(new TracingOptions { TraceSampleRatio = 1, ExportOtlp = false }, t => t.AddInMemoryExporter(spans))));

        // The shopper's page is connected to this gateway, so the offer comes back here from A.
        using var socket = new ClientWebSocket();
        var query = $"key={Uri.EscapeDataString(TestGateway.PublishableKey)}&userId={Shopper}&shopperToken={Uri.EscapeDataString(TestGateway.ShopperToken(Shopper))}";
        await socket.ConnectAsync(new UriBuilder(gateway.BaseAddress) { Scheme = "ws", Path = "/v1/stream", Query = query }.Uri, CancellationToken.None);

        // The shop's backend posts the cart event inside a trace of its own (W3C traceparent, sampled).
        var trace = ActivityTraceId.CreateRandom();
        var caller = ActivitySpanId.CreateRandom();
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events")
        {
            Content = new StringContent(Json.Event(Shopper, "ada-cart", "cart").ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestGateway.ServerKey);
        request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{caller.ToHexString()}-01");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pushed = await Json.ReceiveAsync(socket, "offer", Within);
        Assert.Equal(Shopper, (string?)pushed["offer"]!["userId"]);

        // Spans are exported as they end; the delivery ends once the offer is queued, the request once it is answered.
        string[] expected = [MicroMomentActivities.Ingest, MicroMomentActivities.UserEvent, MicroMomentActivities.ModelStep, MicroMomentActivities.ExecutorBatch, MicroMomentActivities.TriggerDecide, MicroMomentActivities.OfferDeliver];
        var deadline = DateTime.UtcNow + Within;
        Activity[] traced;
        while (true)
        {
            lock (spans) traced = [.. spans.Where(s => s.TraceId == trace)];
            if (expected.All(name => traced.Any(s => s.OperationName == name)) && traced.Any(IsRequest)) break;
            Assert.True(DateTime.UtcNow < deadline, $"The trace is missing spans; it has: {string.Join(", ", traced.Select(s => s.OperationName))}");
            await Task.Delay(50);
        }

        var byId = traced.ToDictionary(s => s.SpanId);
        Activity One(string name) => Assert.Single(traced, s => s.OperationName == name);
        bool Under(Activity span, Activity ancestor)
        {
            for (var at = span; byId.TryGetValue(at.ParentSpanId, out var parent); at = parent)
                if (parent.SpanId == ancestor.SpanId) return true;
            return false;
        }

        // Gateway: the request span continues the caller's trace; the ingest span is its child.
        var requestSpan = Assert.Single(traced, IsRequest);
        Assert.Equal(caller, requestSpan.ParentSpanId);
        var ingest = One(MicroMomentActivities.Ingest);
        Assert.Equal(requestSpan.SpanId, ingest.ParentSpanId);

        // User grain on A, reached through Orleans' grain call spans (client on B, server on A).
        var userEvent = One(MicroMomentActivities.UserEvent);
        Assert.True(Under(userEvent, ingest), "The user grain's span does not descend from the gateway's ingest span.");
        var grainCall = byId[userEvent.ParentSpanId];
        Assert.Equal(TracingServiceCollectionExtensions.OrleansApplicationSource, grainCall.Source.Name);
        Assert.Equal(ActivityKind.Server, grainCall.Kind);
        Assert.Equal(ActivityKind.Client, byId[grainCall.ParentSpanId].Kind);
        Assert.Equal(cluster.A.SiloAddress.ToString(), userEvent.GetTagItem(MicroMomentActivities.SiloTag));
        Assert.Equal("cart", userEvent.GetTagItem(MicroMomentActivities.EventTypeTag));
        Assert.Equal("offer", userEvent.GetTagItem(MicroMomentActivities.OutcomeTag));

        // The model step and its batch: the batch span is the step's child and the step names it.
        var step = One(MicroMomentActivities.ModelStep);
        Assert.Equal(userEvent.SpanId, step.ParentSpanId);
        var batch = One(MicroMomentActivities.ExecutorBatch);
        Assert.Equal(step.SpanId, batch.ParentSpanId);
        Assert.Equal(batch.SpanId.ToHexString(), step.GetTagItem(MicroMomentActivities.BatchSpanTag));

        // The trigger decision on A, under the user grain's event.
        var decide = One(MicroMomentActivities.TriggerDecide);
        Assert.True(Under(decide, userEvent), "The trigger decision does not descend from the user grain's event span.");
        Assert.Equal(cluster.A.SiloAddress.ToString(), decide.GetTagItem(MicroMomentActivities.SiloTag));
        Assert.Equal("offer", decide.GetTagItem(MicroMomentActivities.OutcomeTag));
        string offerId = (string)decide.GetTagItem(MicroMomentActivities.OfferTag)!;

        // The offer's delivery on B (the gateway's silo), under the decision, queued on the shopper's one connection.
        var deliver = One(MicroMomentActivities.OfferDeliver);
        Assert.True(Under(deliver, decide), "The offer's delivery does not descend from the trigger decision.");
        Assert.Equal(cluster.B.SiloAddress.ToString(), deliver.GetTagItem(MicroMomentActivities.SiloTag));
        Assert.Equal(offerId, deliver.GetTagItem(MicroMomentActivities.OfferTag));
        Assert.Equal(1, deliver.GetTagItem(MicroMomentActivities.ConnectionsTag));
        Assert.NotEqual(cluster.A.SiloAddress, cluster.B.SiloAddress);
    }

    private static bool IsRequest(Activity span) => span.Source.Name == "Microsoft.AspNetCore" && span.Kind == ActivityKind.Server;

    private static SiloOptions Options => new() { Trigger = new TriggerPolicyOptions { BuyThreshold = 1e-6f } };

    /// <summary>Activates the shopper's grains on silo A (Orleans' placement hint) and checks they are there.</summary>
    private static async Task PlaceOnAAsync(TwoSiloCluster cluster)
    {
        var a = cluster.FrontOf(cluster.A);
        await TwoSiloCluster.PlacedOnAsync(cluster.A, async () =>
        {
            await a.SetConsentAsync(TestGateway.Tenant, Shopper, new Consent(true, ["offers", "analytics"]));
            return 0;
        });
        Assert.Equal(cluster.A.SiloAddress, cluster.WhereIs(cluster.UserGrainOf(TestGateway.Tenant, Shopper)));
    }
}
