using MicroMoment.Evaluation;
using MicroMoment.Events;
using MicroMoment.Reporting;

namespace MicroMoment.Tests.Reporting;

public class ReportChartsTests
{
    [Fact]
    public void RocFigureHasOnePathPerModelAndTheChanceLine()
    {
        float[] scores = [0.1f, 0.4f, 0.35f, 0.8f, 0.6f, 0.2f];
        byte[] labels = [0, 0, 1, 1, 1, 0];
        var curve = BinaryMetrics.RocCurve(scores, labels);
        var root = SvgAssert.Parse(ReportCharts.Roc([new NamedCurve("LSTM", curve), new NamedCurve("logistic", curve)]));
        Assert.Equal(2, SvgAssert.Elements(root, "path").Count);
        Assert.Single(SvgAssert.WithClass(root, "line", "reference"));
    }

    [Fact]
    public void PrFigureAddsTheNoSkillLevelAsItsOwnSeries()
    {
        var curve = BinaryMetrics.PrCurve([0.9f, 0.8f, 0.7f, 0.6f], [1, 0, 1, 0]);
        var root = SvgAssert.Parse(ReportCharts.PrecisionRecall([new NamedCurve("LSTM", curve)], prevalence: 0.5));
        Assert.Equal(2, SvgAssert.Elements(root, "path").Count);
        Assert.Contains("No skill (0.5)", SvgAssert.Texts(root));
    }

    [Fact]
    public void CalibrationFigureMarksEveryBin()
    {
        var bins = BinaryMetrics.ReliabilityDiagram([0.1f, 0.15f, 0.5f, 0.55f, 0.9f], [0, 0, 1, 0, 1]);
        var root = SvgAssert.Parse(ReportCharts.Calibration([new NamedReliability("raw", bins)]));
        var path = Assert.Single(SvgAssert.Elements(root, "path"));
        Assert.Equal(bins.Length, path.Attribute("d")!.Value.Split(" a").Length / 2);
        Assert.Single(SvgAssert.WithClass(root, "line", "reference"));
    }

    [Fact]
    public void ConfusionMatrixShowsAllFourCounts()
    {
        var root = SvgAssert.Parse(ReportCharts.ConfusionMatrix(new Confusion(5, 3, 90, 2)));
        var tspans = SvgAssert.Elements(root, "tspan").Select(t => t.Value).ToList();
        Assert.Contains("TP 5", tspans);
        Assert.Contains("FP 3", tspans);
        Assert.Contains("TN 90", tspans);
        Assert.Contains("FN 2", tspans);
        Assert.Contains("90.0%", tspans);
    }

    [Fact]
    public void AttentionHeatmapLabelsCellsWithEventTypeAndWeight()
    {
        var rows = new[]
        {
            new AttentionRow("session 1", [EventType.View, EventType.Cart, EventType.Purchase], [0.2f, 0.5f, 0.3f]),
            new AttentionRow("session 2", [EventType.View, EventType.RemoveFromCart], [0.6f, 0.4f]),
        };
        var root = SvgAssert.Parse(ReportCharts.Attention(rows));
        var tspans = SvgAssert.Elements(root, "tspan").Select(t => t.Value).ToList();
        Assert.Equal(["V", "0.20", "C", "0.50", "P", "0.30", "V", "0.60", "R", "0.40"], tspans);
    }

    [Fact]
    public void AttentionRowWithMismatchedWeightsIsRejected()
    {
        Assert.Throws<ArgumentException>(() => ReportCharts.Attention([new AttentionRow("s", [EventType.View], [0.5f, 0.5f])]));
    }

    [Fact]
    public void ClusterChoiceMarksTheChosenK()
    {
        var root = SvgAssert.Parse(ReportCharts.ClusterChoice([2, 3, 4, 5], [0.41, 0.52, 0.47, 0.44], 3, "silhouette", "Silhouette by k"));
        Assert.Contains("k = 3", SvgAssert.Texts(root));
        Assert.Single(SvgAssert.Elements(root, "path"));
    }

    [Fact]
    public void EventTypesHaveOneLetterCodes()
    {
        Assert.Equal("VCRPO", string.Concat(Enum.GetValues<EventType>().Select(ReportCharts.Letter)));
    }
}
