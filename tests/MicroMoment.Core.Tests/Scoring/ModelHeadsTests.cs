using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using MicroMoment.Artifacts;
using MicroMoment.Scoring;
using MicroMoment.Tests.Training;

namespace MicroMoment.Tests.Scoring;

public class ModelHeadsTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    private MicroMomentModel Full => fixture.Run.Model;

    private MicroMomentModel ExitOnly() =>
        new(Full.Features, Full.Network, null, Full.ExitCalibration, 0.5f, Full.ExitThreshold, Full.SessionTimeout, Full.Info);

    [Fact]
    public void AModelWithoutABuyHeadRoundTripsThroughItsFileAndScoresNoBuyProbability()
    {
        var loaded = MicroMomentModel.FromFile(ModelFile.Parse(ExitOnly().ToFile().ToBytes()));

        Assert.Equal(ModelHeads.Exit, loaded.Heads);
        Assert.Null(loaded.BuyCalibration);
        Assert.True(float.IsNaN(loaded.BuyThreshold));
        Assert.Equal(Full.ExitThreshold, loaded.ExitThreshold);
        Assert.Equal(["exit"], ExitOnly().ToFile().Header["heads"]!.AsArray().Select(h => h!.GetValue<string>()));
        var withBoth = Full.CreateScorer();
        var withExitOnly = loaded.CreateScorer();
        var events = 0;
        foreach (var session in fixture.Sessions.Take(100))
        {
            withBoth.Reset();
            withExitOnly.Reset();
            foreach (var e in session.Events)
            {
                var both = withBoth.Score(e);
                var exitOnly = withExitOnly.Score(e);
                Assert.True(float.IsNaN(exitOnly.BuyProbability));
                Assert.Equal(both.ExitProbability, exitOnly.ExitProbability);
                Assert.NotEqual(Intent.Buy, exitOnly.Intent);
                Assert.Equal(both.ExitProbability >= Full.ExitThreshold ? Intent.Exit : Intent.Research, exitOnly.Intent);
                events++;
            }
        }
        Assert.True(events > 100);
    }

    [Fact]
    public void AVersionOneFileStillLoadsWithBothHeads()
    {
        // A file written before heads could be left out: format version 1, no list of heads in the header.
        var file = Full.ToFile();
        file.Header.Remove("heads");
        var bytes = file.ToBytes();
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), 1);
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32), bytes.AsSpan(bytes.Length - 32));

        var parsed = ModelFile.Parse(bytes);
        var loaded = MicroMomentModel.FromFile(parsed);

        Assert.Equal(1, parsed.Version);
        Assert.Equal(ModelHeads.Both, loaded.Heads);
        Assert.Equal(Full.BuyThreshold, loaded.BuyThreshold);
        Assert.Equal(Full.BuyCalibration!.A, loaded.BuyCalibration!.A);
    }

    [Fact]
    public void NewFilesAreVersionTwoAndListTheirHeads()
    {
        var bytes = Full.ToFile().ToBytes();
        Assert.Equal(ModelFile.FormatVersion, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(2, ModelFile.FormatVersion);
        Assert.Equal(["buy", "exit"], ModelFile.Parse(bytes).Header["heads"]!.AsArray().Select(h => h!.GetValue<string>()));
    }

    [Fact]
    public void AVersionTwoFileWithoutItsHeadsOrWithAnUnknownHeadIsRejectedByName()
    {
        var missing = Full.ToFile();
        missing.Header.Remove("heads");
        var ex = Assert.Throws<ModelFormatException>(() => MicroMomentModel.FromFile(ModelFile.Parse(missing.ToBytes()), "m.mmm"));
        Assert.Contains("without its list of heads", ex.Message);

        var unknown = Full.ToFile();
        unknown.Header["heads"] = new JsonArray("buy", "basket");
        ex = Assert.Throws<ModelFormatException>(() => MicroMomentModel.FromFile(ModelFile.Parse(unknown.ToBytes()), "m.mmm"));
        Assert.Contains("'basket'", ex.Message);
    }

    [Fact]
    public void AModelNeedsAtLeastOneHead()
    {
        var ex = Assert.Throws<ArgumentException>(() => new MicroMomentModel(Full.Features, Full.Network, null, null, 0.5f, 0.5f, Full.SessionTimeout, Full.Info));
        Assert.Contains("at least one head", ex.Message);
    }
}
