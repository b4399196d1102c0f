using System.Text.Json.Nodes;
using MicroMoment.Artifacts;

namespace MicroMoment.Tests.Artifacts;

public class ModelFileTests
{
    private static ModelFile Sample() => new(
        new JsonObject { ["kind"] = "test", ["hidden"] = 4 },
        new Dictionary<string, float[]> { ["weights"] = [1f, -2.5f, 3.25f], ["bias"] = [0.5f] });

    [Fact]
    public void RoundTripKeepsHeaderAndSections()
    {
        var loaded = ModelFile.Parse(Sample().ToBytes());
        Assert.Equal("test", loaded.Header["kind"]!.GetValue<string>());
        Assert.Equal([1f, -2.5f, 3.25f], loaded.Section("weights"));
        Assert.Equal([0.5f], loaded.Section("bias", 1));
    }

    [Fact]
    public void SameContentGivesSameBytes() => Assert.Equal(Sample().ToBytes(), Sample().ToBytes());

    [Fact]
    public void FlippedPayloadByteIsReportedAsChecksumMismatch()
    {
        var bytes = Sample().ToBytes();
        bytes[^40] ^= 0x01;
        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Parse(bytes));
        Assert.Contains("checksum", ex.Message);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(40)]
    [InlineData(1)]
    public void TruncatedFileIsReportedAsTruncated(int cut)
    {
        var bytes = Sample().ToBytes();
        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Parse(bytes.AsSpan(0, bytes.Length - cut)));
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void OtherFormatVersionIsReportedAsIncompatible()
    {
        var bytes = Sample().ToBytes();
        bytes[8] = 9;
        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Parse(bytes));
        Assert.Contains("format version 9", ex.Message);
    }

    [Fact]
    public void ForeignFileIsRejectedBySignature()
    {
        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Parse("event_time,event_type\n"u8));
        Assert.Contains("not a MicroMoment model file", ex.Message);
    }

    [Fact]
    public void MissingSectionNamesWhatIsPresent()
    {
        var ex = Assert.Throws<ModelFormatException>(() => Sample().Section("lstm"));
        Assert.Contains("bias, weights", ex.Message);
    }

    [Fact]
    public void WrongSectionLengthIsReported() =>
        Assert.Throws<ModelFormatException>(() => Sample().Section("weights", 4));
}
