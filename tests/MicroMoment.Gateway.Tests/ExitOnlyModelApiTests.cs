using System.Net;
using System.Text.Json.Nodes;
using MicroMoment.Client;
using MicroMoment.Scoring;
using MicroMoment.Silo;

namespace MicroMoment.Gateway.Tests;

/// <summary>A model without a buy head behind the gateway: its missing score goes out as no value (JSON has no NaN),
/// and nothing the gateway writes about scores, offers, shoppers or the model breaks on it.</summary>
public sealed class ExitOnlyModelApiTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;
    private MicroMomentModel _exitOnly = null!;

    public async Task InitializeAsync()
    {
        var m = BundledModel.Model;
        _exitOnly = new MicroMomentModel(m.Features, m.Network, null, m.ExitCalibration, float.NaN, m.ExitThreshold, m.SessionTimeout, m.Info);
        var options = new SiloOptions { Trigger = new TriggerPolicyOptions { BuyThreshold = 1e-6f, ExitThreshold = 1e-6f } };
        _gateway = await TestGateway.StartAsync(new RecordingSilo(await EmbeddedSilo.StartAsync(_exitOnly, options)));
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task EventsAreScoredWithoutABuyScoreAndFireOnlyExitOffers()
    {
        var (response, body) = await Json.PostAsync(_gateway.Server, "/v1/events", new JsonArray(Json.Event("x1", "e1"), Json.Event("x1", "e2", "cart")).ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var first = body!["results"]![0]!;
        Assert.Equal("accepted", (string?)first["status"]);
        Assert.Null(first["score"]!["buy"]);
        Assert.False(first["score"]!.AsObject().ContainsKey("buy"));
        Assert.True(float.IsFinite((float)first["score"]!["attentionLogit"]!));
        Assert.False(first["score"]!.AsObject().ContainsKey("attention"));
        // The exit score is the model's score of the event the silo received, and the offer it fired carries it.
        var expected = new SessionScorer(_exitOnly).Score(((RecordingSilo)_gateway.Silo).Received[0]);
        Assert.Equal(expected.ExitProbability, (float)first["score"]!["exit"]!, 1e-5f);
        Assert.NotEqual("buy", (string?)first["score"]!["intent"]);
        var offer = first["decision"]!["offer"]!;
        Assert.Equal("popup", (string?)offer["type"]);
        Assert.Null(offer["buyProbability"]);
        Assert.Equal((float)first["score"]!["exit"]!, (float)offer["exitProbability"]!);
    }

    [Fact]
    public async Task TheClientReadsTheMissingBuyScoreAsNullEverywhere()
    {
        using var client = new MicroMomentClient(_gateway.Host.BaseAddress, TestGateway.ServerKey);
        var evt = new ShopperEvent { EventId = "c1", UserId = "x2", Type = EventKind.View, Timestamp = DateTimeOffset.UtcNow, ProductId = 1001, CategoryId = 2001, Price = 10 };

        var result = await client.SendAsync(evt);
        var user = await client.GetUserAsync("x2");

        var score = result.Results[0].Score!;
        Assert.Null(score.Buy);
        // The exit score reads the same on the answer, on the offer it fired and on the shopper's timeline.
        Assert.Equal(new SessionScorer(_exitOnly).Score(((RecordingSilo)_gateway.Silo).Received.Single(e => e.EventId == "c1")).ExitProbability, score.Exit!.Value, 1e-5f);
        Assert.Equal(score.Exit, Assert.Single(result.Offers).ExitProbability);
        Assert.Equal(score.Exit, Assert.Single(user!.Timeline).Exit);
        Assert.Null(Assert.Single(result.Offers).BuyProbability);
        Assert.Null(Assert.Single(user!.Timeline).Buy);
        Assert.Null(user.Latest!.Buy);
        Assert.True(float.IsFinite(score.AttentionLogit));
        Assert.Equal(1f, Assert.Single(user.Timeline).AttentionWeight, 1e-5f);
    }

    [Fact]
    public async Task TheDashboardModelPageListsTheHeadsAndHasNoBuyThreshold()
    {
        var (response, model) = await Json.GetAsync(_gateway.Server, "/dashboard/api/model");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["exit"], model!["heads"]!.AsArray().Select(h => h!.GetValue<string>()));
        Assert.Null(model["buyThreshold"]);
        Assert.Null(model["calibration"]!["buyA"]);
        Assert.Equal(BundledModel.Model.ExitThreshold, model["exitThreshold"]!.GetValue<float>());
    }
}
