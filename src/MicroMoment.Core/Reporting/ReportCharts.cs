using System.Globalization;
using MicroMoment.Evaluation;
using MicroMoment.Events;

namespace MicroMoment.Reporting;

/// <summary>The report's standard figures built from evaluation results, on top of <see cref="SvgChart"/>.</summary>
public static class ReportCharts
{
    /// <summary>ROC curves of several models on [0, 1]² with the chance diagonal.</summary>
    public static string Roc(IReadOnlyList<NamedCurve> curves, string title = "ROC curve") =>
        SvgChart.Line(
            ToSeries(curves),
            new ChartOptions
            {
                Title = title, XLabel = "False-positive rate", YLabel = "True-positive rate",
                XMin = 0, XMax = 1, YMin = 0, YMax = 1, ShowDiagonal = true, Width = 560, Height = 420,
            });

    /// <summary>Precision–recall curves on [0, 1]²; <paramref name="prevalence"/>, when given, is drawn as the no-skill level.</summary>
    public static string PrecisionRecall(IReadOnlyList<NamedCurve> curves, double? prevalence = null, string title = "Precision–recall curve")
    {
        var series = ToSeries(curves);
        if (prevalence is double p)
        {
            series.Add(new LineSeries($"No skill ({p.ToString("0.###", CultureInfo.InvariantCulture)})", [0.0, 1.0], [p, p]) { Dashed = true });
        }

        return SvgChart.Line(
            series,
            new ChartOptions { Title = title, XLabel = "Recall", YLabel = "Precision", XMin = 0, XMax = 1, YMin = 0, YMax = 1, Width = 560, Height = 420 });
    }

    /// <summary>Reliability diagrams (mean predicted vs observed rate per bin) against perfect calibration.</summary>
    public static string Calibration(IReadOnlyList<NamedReliability> diagrams, string title = "Calibration")
    {
        ArgumentNullException.ThrowIfNull(diagrams);
        var series = diagrams
            .Select(d => new LineSeries(d.Name, d.Bins.Select(b => b.MeanPredicted).ToArray(), d.Bins.Select(b => b.ObservedRate).ToArray()) { ShowMarkers = true })
            .ToList();
        return SvgChart.Line(
            series,
            new ChartOptions
            {
                Title = title, XLabel = "Mean predicted probability", YLabel = "Observed purchase rate",
                XMin = 0, XMax = 1, YMin = 0, YMax = 1, ShowDiagonal = true, Width = 560, Height = 420,
            });
    }

    /// <summary>2×2 confusion-matrix heatmap (rows = actual, columns = predicted) with counts and shares of all examples.</summary>
    public static string ConfusionMatrix(Confusion confusion, string title = "Confusion matrix", string positiveName = "purchase", string negativeName = "no purchase")
    {
        double total = Math.Max(confusion.Total, 1);
        string Cell(string tag, long n) => $"{tag} {n.ToString("N0", CultureInfo.InvariantCulture)}\n{(n / total).ToString("0.0%", CultureInfo.InvariantCulture)}";
        var data = new HeatmapData(
            [[confusion.TrueNegatives, confusion.FalsePositives], [confusion.FalseNegatives, confusion.TruePositives]],
            [$"actual {negativeName}", $"actual {positiveName}"])
        {
            ColumnLabels = [$"predicted {negativeName}", $"predicted {positiveName}"],
            CellLabels =
            [
                [Cell("TN", confusion.TrueNegatives), Cell("FP", confusion.FalsePositives)],
                [Cell("FN", confusion.FalseNegatives), Cell("TP", confusion.TruePositives)],
            ],
            ValueMin = 0,
            ScaleLabel = "count",
        };
        return SvgChart.Heatmap(data, new ChartOptions { Title = title, Width = 520, Height = 280, ValueFormat = "N0" });
    }

    /// <summary>
    /// Attention heatmap: one row per session, one column per event, each cell showing the event type
    /// (V = view, C = cart, R = remove from cart, P = purchase, O = other) and its weight.
    /// </summary>
    public static string Attention(IReadOnlyList<AttentionRow> rows, string title = "Attention over session events")
    {
        ArgumentNullException.ThrowIfNull(rows);
        var values = new List<IReadOnlyList<double>>(rows.Count);
        var labels = new List<IReadOnlyList<string?>>(rows.Count);
        foreach (var row in rows)
        {
            if (row.Types.Count != row.Weights.Count)
            {
                throw new ArgumentException(
                    $"Attention row \"{row.Label}\" has {row.Types.Count} event types and {row.Weights.Count} weights; expected one weight per event.",
                    nameof(rows));
            }

            values.Add(row.Weights.Select(v => (double)v).ToArray());
            labels.Add(row.Types.Select((t, i) => (string?)$"{Letter(t)}\n{row.Weights[i].ToString("0.00", CultureInfo.InvariantCulture)}").ToArray());
        }

        int columns = values.Count == 0 ? 1 : Math.Max(1, values.Max(v => v.Count));
        double width = Math.Clamp(200 + (columns * 44), 480, 1100);
        double height = 90 + (rows.Count * 34);
        var data = new HeatmapData(values, rows.Select(r => r.Label).ToArray()) { CellLabels = labels, ValueMin = 0, ScaleLabel = "weight" };
        return SvgChart.Heatmap(data, new ChartOptions { Title = title, XLabel = "event position in session", Width = width, Height = height });
    }

    /// <summary>
    /// A clustering-quality curve over k (inertia for the elbow method, or silhouette) with the chosen k marked.
    /// </summary>
    public static string ClusterChoice(IReadOnlyList<int> ks, IReadOnlyList<double> values, int chosenK, string metricName, string title)
    {
        ArgumentNullException.ThrowIfNull(ks);
        return SvgChart.Line(
            [new LineSeries(metricName, ks.Select(k => (double)k).ToArray(), values) { ShowMarkers = true }],
            new ChartOptions { Title = title, XLabel = "number of clusters k", YLabel = metricName, Markers = [new ChartMarker(chosenK, $"k = {chosenK}")] });
    }

    /// <summary>The one-letter code of an event type used in heatmap cells.</summary>
    public static char Letter(EventType type) => type switch
    {
        EventType.View => 'V',
        EventType.Cart => 'C',
        EventType.RemoveFromCart => 'R',
        EventType.Purchase => 'P',
        _ => 'O',
    };

    private static List<LineSeries> ToSeries(IReadOnlyList<NamedCurve> curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        return curves.Select(c => new LineSeries(c.Name, c.Points.Select(p => p.X).ToArray(), c.Points.Select(p => p.Y).ToArray())).ToList();
    }
}
