using MicroMoment.Features;

namespace MicroMoment.Tests.Features;

public class FeatureSchemaTests
{
    [Fact]
    public void CreateListsRawFeaturesThenClusterSlots()
    {
        var schema = FeatureSchema.Create(3);
        Assert.Equal(FeatureEncoder.RawDimension + 3, schema.Count);
        Assert.Equal(FeatureEncoder.RawNames, schema.Names.Take(FeatureEncoder.RawDimension));
        Assert.Equal(["cluster_0", "cluster_1", "cluster_2"], schema.Names.Skip(FeatureEncoder.RawDimension));
        Assert.Equal(FeatureSchema.CurrentVersion, schema.Version);
        Assert.Matches("^[0-9a-f]{64}$", schema.Hash);
    }

    [Fact]
    public void EqualNamesAndVersionGiveEqualSchemas()
    {
        var a = FeatureSchema.Create(4);
        var b = new FeatureSchema(FeatureSchema.CurrentVersion, a.Names.ToArray());
        Assert.Equal(a.Hash, b.Hash);
        Assert.True(a == b);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void HashChangesWhenNamesOrderOrVersionChange()
    {
        var baseline = new FeatureSchema(1, ["a", "b", "c"]);
        Assert.NotEqual(baseline.Hash, new FeatureSchema(1, ["a", "b", "d"]).Hash);
        Assert.NotEqual(baseline.Hash, new FeatureSchema(1, ["a", "c", "b"]).Hash);
        Assert.NotEqual(baseline.Hash, new FeatureSchema(2, ["a", "b", "c"]).Hash);
        Assert.NotEqual(baseline.Hash, new FeatureSchema(1, ["a", "b"]).Hash);
        Assert.NotEqual(FeatureSchema.Create(3), FeatureSchema.Create(4));
        Assert.True(baseline != new FeatureSchema(1, ["ab", "c"]));
    }

    [Fact]
    public void InvalidNamesAreRejected()
    {
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => new FeatureSchema(1, ["a", "a"])).Message);
        Assert.Throws<ArgumentException>(() => new FeatureSchema(1, ["a", " "]));
        Assert.Throws<ArgumentException>(() => new FeatureSchema(1, ["a\nb"]));
        Assert.Throws<ArgumentException>(() => new FeatureSchema(1, Array.Empty<string>()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FeatureSchema(0, ["a"]));
        Assert.Throws<ArgumentOutOfRangeException>(() => FeatureSchema.Create(0));
    }
}
