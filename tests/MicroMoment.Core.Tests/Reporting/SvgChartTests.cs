using System.Globalization;
using MicroMoment.Reporting;

namespace MicroMoment.Tests.Reporting;

public class SvgChartTests
{
    private static readonly LineSeries[] s_three =
    [
        new("train", [1.0, 2, 3, 4], [0.9, 0.6, 0.5, 0.45]),
        new("validation", [1.0, 2, 3, 4], [0.95, 0.7, 0.62, 0.6]) { Dashed = true },
        new("test", [1.0, 2, 3, 4], [0.97, 0.72, 0.65, 0.63]) { ShowMarkers = true },
    ];

    [Fact]
    public void LineChartDrawsOnePathPerSeriesAndParsesAsXml()
    {
        var root = SvgAssert.Parse(SvgChart.Line(s_three, new ChartOptions { Title = "Loss", XLabel = "epoch", YLabel = "loss" }));
        Assert.Equal(3, SvgAssert.Elements(root, "path").Count);
        Assert.Equal(3, SvgAssert.WithClass(root, "path", "series").Count);
        var texts = SvgAssert.Texts(root);
        Assert.Contains("Loss", texts);
        Assert.Contains("epoch", texts);
        Assert.Contains("loss", texts);
        Assert.Contains("validation", texts); // legend
        Assert.Equal(3, SvgAssert.WithClass(root, "line", "legend").Count); // one line swatch per series
    }

    [Fact]
    public void RocStyleChartHasTheDiagonalAndTicksFromZeroToOne()
    {
        var series = new[] { new LineSeries("model", [0.0, 0.1, 1], [0.0, 0.7, 1]) };
        var root = SvgAssert.Parse(SvgChart.Line(series, new ChartOptions { XMin = 0, XMax = 1, YMin = 0, YMax = 1, ShowDiagonal = true }));
        Assert.Single(SvgAssert.WithClass(root, "line", "reference"));
        var texts = SvgAssert.Texts(root);
        foreach (var tick in new[] { "0.0", "0.2", "0.4", "0.6", "0.8", "1.0" })
        {
            Assert.Contains(tick, texts);
        }
    }

    [Fact]
    public void HigherValuesAreDrawnHigherOnThePage()
    {
        var root = SvgAssert.Parse(SvgChart.Line([new LineSeries("up", [0.0, 1], [0.0, 1])], new ChartOptions { XMin = 0, XMax = 1, YMin = 0, YMax = 1 }));
        var d = SvgAssert.Elements(root, "path")[0].Attribute("d")!.Value;
        var numbers = d.Replace("M", " ").Replace("L", " ").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(4, numbers.Length);
        Assert.True(numbers[2] > numbers[0], "x grows to the right");
        Assert.True(numbers[3] < numbers[1], "larger y is nearer the top of the SVG");
    }

    [Fact]
    public void NaNLeavesAGapInsideTheSameSeriesPath()
    {
        var root = SvgAssert.Parse(SvgChart.Line([new LineSeries("gappy", [1.0, 2, 3, 4], [1.0, double.NaN, 3, 4])]));
        var paths = SvgAssert.Elements(root, "path");
        Assert.Single(paths);
        Assert.Equal(2, paths[0].Attribute("d")!.Value.Count(c => c == 'M'));
    }

    [Fact]
    public void ChosenKIsMarkedWithALabelledVerticalLine()
    {
        var svg = SvgChart.Line(
            [new LineSeries("inertia", [2.0, 3, 4, 5, 6], [100.0, 60, 35, 30, 28]) { ShowMarkers = true }],
            new ChartOptions { Markers = [new ChartMarker(4, "k = 4")] });
        var root = SvgAssert.Parse(svg);
        Assert.Single(SvgAssert.WithClass(root, "line", "marker"));
        Assert.Contains("k = 4", SvgAssert.Texts(root));
    }

    [Fact]
    public void SeriesNamesAndTitlesAreEscaped()
    {
        string svg = SvgChart.Line([new LineSeries("A<B & \"C\"", [0.0, 1], [0.0, 1])], new ChartOptions { Title = "<script>alert(1)</script>" });
        Assert.DoesNotContain("<script>", svg);
        Assert.Contains("A&lt;B &amp; &quot;C&quot;", svg);
        var root = SvgAssert.Parse(svg);
        Assert.Contains("A<B & \"C\"", SvgAssert.Texts(root));
        Assert.Empty(SvgAssert.Elements(root, "script"));
    }

    [Fact]
    public void InfiniteValuesAndMismatchedLengthsAreRejected()
    {
        var inf = Assert.Throws<ArgumentException>(() => SvgChart.Line([new LineSeries("bad", [0.0, 1], [0.0, double.PositiveInfinity])]));
        Assert.Contains("y[1] of \"bad\"", inf.Message);
        var len = Assert.Throws<ArgumentException>(() => SvgChart.Line([new LineSeries("short", [0.0, 1, 2], [0.0, 1])]));
        Assert.Contains("3 x values and 2 y values", len.Message);
    }

    [Fact]
    public void ScatterDrawsOnePathPerGroupWithALegendDotEach()
    {
        var groups = Enumerable.Range(0, 4)
            .Select(g => new ScatterGroup($"cluster {g}", Enumerable.Range(0, 25).Select(i => g + (i * 0.01)).ToArray(), Enumerable.Range(0, 25).Select(i => (double)((i * 7) % 5)).ToArray()))
            .ToArray();
        var root = SvgAssert.Parse(SvgChart.Scatter(groups, new ChartOptions { Title = "Clusters" }));
        var paths = SvgAssert.WithClass(root, "path", "series");
        Assert.Equal(4, paths.Count);
        Assert.Equal(4, SvgAssert.Elements(root, "path").Count);
        Assert.Equal(4, paths.Select(p => p.Attribute("fill")!.Value).Distinct().Count());
        Assert.Equal(4, SvgAssert.Elements(root, "circle").Count);
        Assert.Contains("cluster 3", SvgAssert.Texts(root));
        Assert.Equal(25, paths[0].Attribute("d")!.Value.Count(c => c == 'M'));
    }

    [Fact]
    public void BarChartDrawsOnePathPerSeriesAndErrorBarsForEachBar()
    {
        string[] buckets = ["1", "2", "3", "4-5", "6-10", "11+"];
        var series = new[]
        {
            new BarSeries("LSTM", [0.70, 0.75, 0.80, 0.83, 0.86, 0.88], [0.01, 0.01, 0.02, 0.01, 0.01, 0.02]),
            new BarSeries("logistic", [0.65, 0.70, 0.72, 0.75, 0.78, 0.80]),
        };
        var root = SvgAssert.Parse(SvgChart.Bar(buckets, series, new ChartOptions { YMin = 0.5, YMax = 1, ValueFormat = "0.00", YLabel = "AUC" }));
        Assert.Equal(2, SvgAssert.Elements(root, "path").Count);
        Assert.Equal(6 * 3, SvgAssert.WithClass(root, "line", "error-bar").Count);
        var texts = SvgAssert.Texts(root);
        Assert.Contains("4-5", texts);
        Assert.Contains("0.88", texts);
        Assert.Equal(6, SvgAssert.Elements(root, "path")[0].Attribute("d")!.Value.Count(c => c == 'Z'));
    }

    [Fact]
    public void BarChartRejectsAValueCountThatDoesNotMatchTheCategories()
    {
        var ex = Assert.Throws<ArgumentException>(() => SvgChart.Bar(["a", "b"], [new BarSeries("s", [1.0])]));
        Assert.Contains("2 categories", ex.Message);
    }

    [Fact]
    public void HeatmapDrawsACellPerValueWithLabelsAndAColourScale()
    {
        var data = new HeatmapData([[0.1, 0.5], [0.9]], ["row A", "row B"])
        {
            CellLabels = [["V\n0.10", "C\n0.50"], ["P\n0.90"]],
            ValueMin = 0,
            ValueMax = 1,
            ScaleLabel = "weight",
        };
        var root = SvgAssert.Parse(SvgChart.Heatmap(data, new ChartOptions { Title = "Attention" }));
        var cells = SvgAssert.Elements(root, "rect").Where(r => r.Element(SvgAssert.Svg + "title") is not null).ToList();
        Assert.Equal(3, cells.Count);
        Assert.Empty(SvgAssert.Elements(root, "path"));
        var tspans = SvgAssert.Elements(root, "tspan").Select(t => t.Value).ToList();
        Assert.Contains("P", tspans);
        Assert.Contains("0.90", tspans);
        var texts = SvgAssert.Texts(root);
        Assert.Contains("row B", texts);
        Assert.Contains("weight", texts);
        Assert.Contains("1.00", texts); // top of the colour scale
        Assert.NotEqual(cells[0].Attribute("fill")!.Value, cells[2].Attribute("fill")!.Value);
    }

    [Fact]
    public void HeatmapNeedsOneLabelPerRow()
    {
        Assert.Throws<ArgumentException>(() => SvgChart.Heatmap(new HeatmapData([[1.0], [2.0]], ["only one"])));
    }

    [Fact]
    public void SequentialColoursDarkenWithValue()
    {
        Assert.Equal("#f7fbff", ChartPalette.Sequential(0));
        Assert.Equal("#08306b", ChartPalette.Sequential(1));
        Assert.Equal(ChartPalette.Series(0), ChartPalette.Series(ChartPalette.Count));
    }
}
