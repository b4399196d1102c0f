using System.Text.Json.Nodes;
using MicroMoment.Client;

namespace MicroMoment.Gateway.Tests;

/// <summary>
/// The raw attention logit (scores: event answers, stream acks, the user view's latest score) and the softmax weight (the
/// user view's timeline) have their own names on the wire and in the .NET client; the ambiguous "attention" is gone.
/// </summary>
public sealed class AttentionNamingTests
{
    [Fact]
    public async Task ScoresCarryTheAttentionLogitAndTheTimelineTheAttentionWeightAndNothingIsCalledAttention()
    {
        await using var gateway = await TestGateway.StartAsync();
        var batch = new JsonArray(Json.Event("att-1", "a1"), Json.Event("att-1", "a2", "cart"), Json.Event("att-1", "a3", productId: 1002));
        var (_, answer) = await Json.PostAsync(gateway.Server, "/v1/events", batch.ToJsonString());
        var logits = answer!["results"]!.AsArray().Select(r => LogitOf(r!["score"]!)).ToArray();

        var (_, view) = await Json.GetAsync(gateway.Server, "/v1/users/att-1");
        Assert.Equal(logits[^1], LogitOf(view!["latest"]!), 6);
        var timeline = view["timeline"]!.AsArray().Select(t => t!.AsObject()).ToArray();
        Assert.Equal(3, timeline.Length);
        double max = logits.Max(), total = logits.Sum(l => Math.Exp(l - max));
        for (int i = 0; i < timeline.Length; i++)
        {
            Assert.False(timeline[i].ContainsKey("attention"), "the timeline must not carry the ambiguous 'attention'.");
            Assert.False(timeline[i].ContainsKey("attentionLogit"));
            Assert.Equal(Math.Exp(logits[i] - max) / total, timeline[i]["attentionWeight"]!.GetValue<double>(), 4);
        }

        // The dashboard reads the same view.
        var (_, dashboard) = await Json.GetAsync(gateway.Server, "/dashboard/api/users/att-1");
        Assert.Equal(view.ToJsonString(), dashboard!.ToJsonString());

        // Stream acks carry the same score object.
        using var socket = await gateway.ConnectServerAsync();
        await Json.SendAsync(socket, new JsonObject { ["batch"] = "b1", ["events"] = new JsonArray(Json.Event("att-2", "s1")) });
        var ack = await Json.ReceiveAsync(socket, "ack");
        LogitOf(ack["ack"]!["results"]![0]!["score"]!);

        // The .NET client names them apart too.
        using var client = new MicroMomentClient(gateway.Host.BaseAddress, TestGateway.ServerKey);
        var state = (await client.GetUserAsync("att-1"))!;
        Assert.Equal(logits[^1], state.Latest!.AttentionLogit, 5);
        Assert.Equal(1, state.Timeline.Sum(t => t.AttentionWeight), 4);
        Assert.Equal(timeline.Select(t => t["attentionWeight"]!.GetValue<float>()), state.Timeline.Select(t => t.AttentionWeight));
        // ...and reads whether the session is live.
        Assert.True(state.SessionOpen);
        Assert.Equal(view["lastEventAppliedAt"]!.GetValue<DateTimeOffset>(), state.LastEventAppliedAt);
    }

    private static double LogitOf(JsonNode score)
    {
        var o = score.AsObject();
        Assert.False(o.ContainsKey("attention"), "a score must not carry the ambiguous 'attention'.");
        Assert.False(o.ContainsKey("attentionWeight"), "a score holds the logit, not a weight.");
        return o["attentionLogit"]!.GetValue<double>();
    }
}
