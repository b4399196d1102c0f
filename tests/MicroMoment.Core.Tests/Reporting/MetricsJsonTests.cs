using System.Text.Json;
using MicroMoment.Evaluation;
using MicroMoment.Events;
using MicroMoment.Reporting;

namespace MicroMoment.Tests.Reporting;

public class MetricsJsonTests
{
    private sealed record Model(string ModelName, double TestAuc, float Threshold, double[] AucByBucket, EventType Focus, Confusion Confusion, double? Missing);

    [Fact]
    public void NonFiniteNumbersAreWrittenAsNull()
    {
        var json = MetricsJson.Serialize(new Model("lstm", double.NaN, float.PositiveInfinity, [0.7, double.NaN], EventType.RemoveFromCart, new Confusion(1, 0, 0, 0), double.NaN));
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("testAuc").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("threshold").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("aucByBucket")[1].ValueKind);
        Assert.Equal(0.7, root.GetProperty("aucByBucket")[0].GetDouble());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("missing").ValueKind);
    }

    [Fact]
    public void NamesAreCamelCaseEnumsAreStringsAndOutputIsIndented()
    {
        var json = MetricsJson.Serialize(new Model("lstm", 0.91, 0.5f, [], EventType.RemoveFromCart, new Confusion(3, 1, 5, 1), 1));
        Assert.Contains("\"modelName\": \"lstm\"", json);
        Assert.Contains("\"focus\": \"removeFromCart\"", json);
        Assert.Contains("\"truePositives\": 3", json);
        Assert.Contains("\"precision\": 0.75", json); // computed properties are included
        Assert.Contains("\n  ", json);
    }

    [Fact]
    public void NullReadsBackAsNaN()
    {
        var back = JsonSerializer.Deserialize<Summary>("{\"mean\": 0.5, \"standardDeviation\": null, \"min\": 0.5, \"max\": 0.5, \"count\": 1}", MetricsJson.Options);
        Assert.Equal(0.5, back.Mean);
        Assert.True(double.IsNaN(back.StandardDeviation));
    }

    [Fact]
    public void WriteCreatesTheFileAndFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "mm-json-" + Guid.NewGuid().ToString("N"));
        try
        {
            string path = Path.Combine(folder, "metrics.json");
            MetricsJson.Write(path, Summary.Of([1.0]));
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            Assert.Equal(1, doc.RootElement.GetProperty("count").GetInt32());
            Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("standardDeviation").ValueKind);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
