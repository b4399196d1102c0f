using System.Globalization;
using System.Text;

namespace MicroMoment.Reporting;

/// <summary>
/// Builds standalone SVG charts (axes, ticks, grid, labels, legend, shared palette) as strings ready to inline in
/// HTML. Every data series is drawn as exactly one &lt;path class="series"&gt;; axes, grid, references and legend
/// swatches use other elements. All text is XML-escaped and no external resource is referenced.
/// </summary>
public static class SvgChart
{
    private const double LegendWidth = 170;

    /// <summary>
    /// Multi-series line chart: ROC and PR curves, calibration against the diagonal, training curves, elbow and
    /// silhouette curves with the chosen k marked (<see cref="ChartOptions.Markers"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A series is malformed (lengths differ, infinite value, missing name).</exception>
    public static string Line(IReadOnlyList<LineSeries> series, ChartOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        options ??= new ChartOptions();
        double xMin = double.PositiveInfinity, xMax = double.NegativeInfinity, yMin = double.PositiveInfinity, yMax = double.NegativeInfinity;
        foreach (var s in series)
        {
            CheckPoints(s?.Name, s?.X, s?.Y, "line series");
            Extend(s!.X, ref xMin, ref xMax);
            Extend(s.Y, ref yMin, ref yMax);
        }

        foreach (var m in options.Markers)
        {
            CheckFinite(m.X, "marker position");
            xMin = Math.Min(xMin, m.X);
            xMax = Math.Max(xMax, m.X);
        }

        var w = new SvgWriter(options.Width, options.Height, options.Title);
        var plot = Frame(w, options, series.Count > 0, AxisScale.Create(xMin, xMax, options.XMin, options.XMax), AxisScale.Create(yMin, yMax, options.YMin, options.YMax));
        if (options.ShowDiagonal)
        {
            double lo = Math.Max(plot.X.Min, plot.Y.Min), hi = Math.Min(plot.X.Max, plot.Y.Max);
            if (hi > lo)
            {
                w.Line(plot.Px(lo), plot.Py(lo), plot.Px(hi), plot.Py(hi), ChartPalette.Reference, 1, "5 4", "reference");
            }
        }

        for (int i = 0; i < options.Markers.Count; i++)
        {
            var m = options.Markers[i];
            double x = plot.Px(m.X);
            w.Line(x, plot.Top, x, plot.Top + plot.Height, ChartPalette.Ink, 1, "2 3", "marker");
            // Labels step down one line per marker, so markers close together stay readable.
            w.Text(x + 4, plot.Top + 12 + (14 * i), m.Label, size: 11, bold: true);
        }

        for (int i = 0; i < series.Count; i++)
        {
            var s = series[i];
            var d = new StringBuilder();
            bool penDown = false;
            for (int k = 0; k < s.X.Count; k++)
            {
                if (double.IsNaN(s.X[k]) || double.IsNaN(s.Y[k]))
                {
                    penDown = false;
                    continue;
                }

                d.Append(penDown ? " L" : (d.Length > 0 ? " M" : "M")).Append(SvgWriter.N(plot.Px(s.X[k]))).Append(' ').Append(SvgWriter.N(plot.Py(s.Y[k])));
                penDown = true;
            }

            if (s.ShowMarkers)
            {
                for (int k = 0; k < s.X.Count; k++)
                {
                    if (!double.IsNaN(s.X[k]) && !double.IsNaN(s.Y[k]))
                    {
                        AppendCircle(d, plot.Px(s.X[k]), plot.Py(s.Y[k]), 3);
                    }
                }
            }

            if (d.Length == 0)
            {
                d.Append("M0 0"); // an all-gap series still owns its (empty) path so series and paths stay one-to-one
            }

            w.SeriesPath(d.ToString(), s.Name, ChartPalette.Series(i), "none", 2, s.Dashed ? "6 4" : null);
        }

        Legend(w, options, series.Select((s, i) => (s.Name, ChartPalette.Series(i), s.Dashed ? LegendKind.Dashed : LegendKind.Line)).ToList());
        return w.Close();
    }

    /// <summary>Scatter chart with one colour and legend entry per group (e.g. sessions coloured by cluster).</summary>
    public static string Scatter(IReadOnlyList<ScatterGroup> groups, ChartOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(groups);
        options ??= new ChartOptions();
        double xMin = double.PositiveInfinity, xMax = double.NegativeInfinity, yMin = double.PositiveInfinity, yMax = double.NegativeInfinity;
        foreach (var g in groups)
        {
            CheckPoints(g?.Name, g?.X, g?.Y, "scatter group");
            Extend(g!.X, ref xMin, ref xMax);
            Extend(g.Y, ref yMin, ref yMax);
        }

        var w = new SvgWriter(options.Width, options.Height, options.Title);
        var plot = Frame(w, options, groups.Count > 0, AxisScale.Create(xMin, xMax, options.XMin, options.XMax), AxisScale.Create(yMin, yMax, options.YMin, options.YMax));
        for (int i = 0; i < groups.Count; i++)
        {
            var g = groups[i];
            var d = new StringBuilder();
            for (int k = 0; k < g.X.Count; k++)
            {
                if (!double.IsNaN(g.X[k]) && !double.IsNaN(g.Y[k]))
                {
                    AppendCircle(d, plot.Px(g.X[k]), plot.Py(g.Y[k]), 2.5);
                }
            }

            if (d.Length == 0)
            {
                d.Append("M0 0");
            }

            string colour = ChartPalette.Series(i);
            w.SeriesPath(d.ToString(), g.Name, "none", colour, 0, opacity: 0.75);
        }

        Legend(w, options, groups.Select((g, i) => (g.Name, ChartPalette.Series(i), LegendKind.Dot)).ToList());
        return w.Close();
    }

    /// <summary>
    /// Grouped bar chart with optional error bars (e.g. mean ± sd of AUC by prefix length, intent shares).
    /// The y axis always includes 0 unless <see cref="ChartOptions.YMin"/> is set; bars start at the lower of 0 and
    /// the axis minimum. Set <see cref="ChartOptions.ValueFormat"/> to print values on the bars.
    /// </summary>
    public static string Bar(IReadOnlyList<string> categories, IReadOnlyList<BarSeries> series, ChartOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(series);
        options ??= new ChartOptions();
        double yMin = 0, yMax = 0;
        foreach (var s in series)
        {
            if (s?.Name is null || s.Values is null)
            {
                throw new ArgumentException("Every bar series needs a name and values.", nameof(series));
            }

            if (s.Values.Count != categories.Count || (s.Errors is not null && s.Errors.Count != categories.Count))
            {
                throw new ArgumentException(
                    $"Bar series \"{s.Name}\" has {s.Values.Count} values and {s.Errors?.Count.ToString(CultureInfo.InvariantCulture) ?? "no"} errors " +
                    $"for {categories.Count} categories; expected one of each per category.", nameof(series));
            }

            for (int c = 0; c < categories.Count; c++)
            {
                double v = s.Values[c];
                double e = s.Errors is null || double.IsNaN(s.Errors[c]) ? 0 : Math.Abs(s.Errors[c]);
                CheckFinite(v, $"bar value of \"{s.Name}\"", allowNaN: true);
                CheckFinite(e, $"error bar of \"{s.Name}\"");
                if (!double.IsNaN(v))
                {
                    yMin = Math.Min(yMin, v - e);
                    yMax = Math.Max(yMax, v + e);
                }
            }
        }

        var w = new SvgWriter(options.Width, options.Height, options.Title);
        var xScale = AxisScale.Create(0, Math.Max(categories.Count, 1), 0, Math.Max(categories.Count, 1));
        var yScale = AxisScale.Create(yMin, yMax, options.YMin, options.YMax);
        var plot = Frame(w, options, series.Count > 0, xScale, yScale, categoricalX: true);
        for (int c = 0; c < categories.Count; c++)
        {
            w.Text(plot.Px(c + 0.5), plot.Top + plot.Height + 16, categories[c] ?? "", "middle", 11);
        }

        double groupWidth = plot.Width / Math.Max(categories.Count, 1);
        double barWidth = groupWidth * 0.8 / Math.Max(series.Count, 1);
        double baseline = plot.Py(Math.Clamp(0, yScale.Min, yScale.Max));
        for (int i = 0; i < series.Count; i++)
        {
            var s = series[i];
            string colour = ChartPalette.Series(i);
            var d = new StringBuilder();
            for (int c = 0; c < categories.Count; c++)
            {
                double v = s.Values[c];
                if (double.IsNaN(v))
                {
                    continue;
                }

                double x = plot.Left + (c * groupWidth) + (groupWidth * 0.1) + (i * barWidth);
                double top = plot.Py(v);
                if (d.Length > 0) d.Append(' ');
                d.Append('M').Append(SvgWriter.N(x)).Append(' ').Append(SvgWriter.N(baseline))
                    .Append(" V").Append(SvgWriter.N(top)).Append(" H").Append(SvgWriter.N(x + (barWidth * 0.92)))
                    .Append(" V").Append(SvgWriter.N(baseline)).Append(" Z");
            }

            w.SeriesPath(d.Length == 0 ? "M0 0" : d.ToString(), s.Name, "none", colour, 0);
            for (int c = 0; c < categories.Count; c++)
            {
                double v = s.Values[c];
                if (double.IsNaN(v))
                {
                    continue;
                }

                double centre = plot.Left + (c * groupWidth) + (groupWidth * 0.1) + (i * barWidth) + (barWidth * 0.46);
                double e = s.Errors is null || double.IsNaN(s.Errors[c]) ? 0 : Math.Abs(s.Errors[c]);
                double labelY = plot.Py(v + e) - 4;
                if (e > 0)
                {
                    double cap = Math.Min(barWidth * 0.25, 6);
                    w.Line(centre, plot.Py(v - e), centre, plot.Py(v + e), ChartPalette.Ink, 1.2, cssClass: "error-bar");
                    w.Line(centre - cap, plot.Py(v + e), centre + cap, plot.Py(v + e), ChartPalette.Ink, 1.2, cssClass: "error-bar");
                    w.Line(centre - cap, plot.Py(v - e), centre + cap, plot.Py(v - e), ChartPalette.Ink, 1.2, cssClass: "error-bar");
                }

                if (options.ValueFormat is not null)
                {
                    w.Text(centre, labelY, v.ToString(options.ValueFormat, CultureInfo.InvariantCulture), "middle", 10);
                }
            }
        }

        Legend(w, options, series.Select((s, i) => (s.Name, ChartPalette.Series(i), LegendKind.Box)).ToList());
        return w.Close();
    }

    /// <summary>
    /// Heatmap with row and column labels, a cell label in every cell large enough to hold it, and a colour scale
    /// (confusion matrices; attention weights with rows = sessions and columns = events).
    /// </summary>
    public static string Heatmap(HeatmapData data, ChartOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new ChartOptions();
        var rows = data.Values ?? throw new ArgumentException("The heatmap needs values.", nameof(data));
        if (data.RowLabels is null || data.RowLabels.Count != rows.Count)
        {
            throw new ArgumentException($"The heatmap has {rows.Count} rows but {data.RowLabels?.Count ?? 0} row labels; expected one label per row.", nameof(data));
        }

        int columns = rows.Count == 0 ? 0 : rows.Max(r => r?.Count ?? 0);
        if (data.ColumnLabels is not null && data.ColumnLabels.Count < columns)
        {
            throw new ArgumentException($"The heatmap has {columns} columns but {data.ColumnLabels.Count} column labels.", nameof(data));
        }

        double vMin = double.PositiveInfinity, vMax = double.NegativeInfinity;
        for (int r = 0; r < rows.Count; r++)
        {
            var row = rows[r] ?? throw new ArgumentException($"Heatmap row {r} is null.", nameof(data));
            foreach (double v in row)
            {
                CheckFinite(v, $"heatmap value in row {r}", allowNaN: true);
                if (!double.IsNaN(v))
                {
                    vMin = Math.Min(vMin, v);
                    vMax = Math.Max(vMax, v);
                }
            }
        }

        vMin = data.ValueMin ?? (double.IsFinite(vMin) ? vMin : 0);
        vMax = data.ValueMax ?? (double.IsFinite(vMax) ? vMax : 1);
        if (vMax <= vMin)
        {
            vMax = vMin + 1;
        }

        var w = new SvgWriter(options.Width, options.Height, options.Title);
        double longestRowLabel = data.RowLabels.Count == 0 ? 0 : data.RowLabels.Max(l => (l ?? "").Length);
        double left = 20 + (string.IsNullOrEmpty(options.YLabel) ? 0 : 18) + Math.Min(longestRowLabel * 6.5, options.Width * 0.3);
        double top = (string.IsNullOrEmpty(options.Title) ? 12 : 38) + 18;
        double right = 80;
        double bottom = string.IsNullOrEmpty(options.XLabel) ? 12 : 36;
        double plotW = Math.Max(options.Width - left - right, 10), plotH = Math.Max(options.Height - top - bottom, 10);
        double cellW = plotW / Math.Max(columns, 1), cellH = plotH / Math.Max(rows.Count, 1);
        if (!string.IsNullOrEmpty(options.Title))
        {
            w.Text(options.Width / 2, 22, options.Title, "middle", 15, bold: true);
        }

        string format = options.ValueFormat ?? "0.00";
        double fontSize = Math.Clamp(Math.Min(cellH * 0.32, cellW * 0.22), 7, 12);
        for (int r = 0; r < rows.Count; r++)
        {
            double y = top + (r * cellH);
            w.Text(left - 6, y + (cellH / 2), data.RowLabels[r] ?? "", "end", 11, baseline: "middle");
            for (int c = 0; c < rows[r].Count; c++)
            {
                double v = rows[r][c];
                if (double.IsNaN(v))
                {
                    continue;
                }

                double t = (v - vMin) / (vMax - vMin);
                double x = left + (c * cellW);
                string valueText = v.ToString(format, CultureInfo.InvariantCulture);
                w.Rect(x, y, cellW, cellH, ChartPalette.Sequential(t), "#ffffff", $"{data.RowLabels[r]}, {ColumnLabel(data, c)}: {valueText}");
                string? label = data.CellLabels is not null && r < data.CellLabels.Count && data.CellLabels[r] is { } labels && c < labels.Count
                    ? labels[c]
                    : valueText;
                if (!string.IsNullOrEmpty(label) && cellW >= 18 && cellH >= 12)
                {
                    int lines = label.Split('\n').Length;
                    double firstLine = y + (cellH / 2) - ((lines - 1) * fontSize * 1.15 / 2) + (fontSize * 0.35);
                    w.Text(x + (cellW / 2), firstLine, label, "middle", fontSize, ChartPalette.NeedsLightText(t) ? "#ffffff" : ChartPalette.Ink);
                }
            }
        }

        int labelEvery = Math.Max(1, (int)Math.Ceiling(24 / Math.Max(cellW, 1)));
        for (int c = 0; c < columns; c += labelEvery)
        {
            w.Text(left + (c * cellW) + (cellW / 2), top - 6, ColumnLabel(data, c), "middle", 11);
        }

        if (!string.IsNullOrEmpty(options.XLabel))
        {
            w.Text(left + (plotW / 2), options.Height - 10, options.XLabel, "middle", 12);
        }

        if (!string.IsNullOrEmpty(options.YLabel))
        {
            w.Text(14, top + (plotH / 2), options.YLabel, "middle", 12, rotate: -90);
        }

        // Colour scale: a column of small steps, labelled at both ends.
        double scaleX = options.Width - right + 18;
        double scaleH = Math.Max(Math.Min(plotH, 220) - (string.IsNullOrEmpty(data.ScaleLabel) ? 0 : 22), 24);
        const int steps = 24;
        for (int k = 0; k < steps; k++)
        {
            double t = 1 - ((k + 0.5) / steps);
            w.Rect(scaleX, top + (k * scaleH / steps), 14, (scaleH / steps) + 0.5, ChartPalette.Sequential(t));
        }

        w.Text(scaleX + 18, top + 8, vMax.ToString(format, CultureInfo.InvariantCulture), size: 10);
        w.Text(scaleX + 18, top + scaleH, vMin.ToString(format, CultureInfo.InvariantCulture), size: 10);
        if (!string.IsNullOrEmpty(data.ScaleLabel))
        {
            w.Text(scaleX + 7, top + scaleH + 16, data.ScaleLabel, "middle", 10);
        }

        return w.Close();
    }

    private static string ColumnLabel(HeatmapData data, int c) =>
        data.ColumnLabels is not null ? data.ColumnLabels[c] ?? "" : (c + 1).ToString(CultureInfo.InvariantCulture);

    private static void AppendCircle(StringBuilder d, double cx, double cy, double r)
    {
        if (d.Length > 0) d.Append(' ');
        string rr = SvgWriter.N(r), diameter = SvgWriter.N(2 * r);
        d.Append('M').Append(SvgWriter.N(cx - r)).Append(' ').Append(SvgWriter.N(cy))
            .Append(" a").Append(rr).Append(' ').Append(rr).Append(" 0 1 0 ").Append(diameter).Append(" 0")
            .Append(" a").Append(rr).Append(' ').Append(rr).Append(" 0 1 0 -").Append(diameter).Append(" 0");
    }

    private static void CheckPoints(string? name, IReadOnlyList<double>? x, IReadOnlyList<double>? y, string what)
    {
        if (name is null || x is null || y is null)
        {
            throw new ArgumentException($"Every {what} needs a name and x and y values.");
        }

        if (x.Count != y.Count)
        {
            throw new ArgumentException($"The {what} \"{name}\" has {x.Count} x values and {y.Count} y values; expected equal counts.");
        }

        for (int k = 0; k < x.Count; k++)
        {
            CheckFinite(x[k], $"x[{k}] of \"{name}\"", allowNaN: true);
            CheckFinite(y[k], $"y[{k}] of \"{name}\"", allowNaN: true);
        }
    }

    private static void CheckFinite(double v, string what, bool allowNaN = false)
    {
        if (double.IsInfinity(v) || (!allowNaN && double.IsNaN(v)))
        {
            throw new ArgumentException($"The {what} is {v}; expected a finite number{(allowNaN ? " (NaN for a gap)" : "")}.");
        }
    }

    private static void Extend(IReadOnlyList<double> values, ref double min, ref double max)
    {
        foreach (double v in values)
        {
            if (!double.IsNaN(v))
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }
    }

    /// <summary>Draws title, grid, axes, ticks and axis labels and returns the plot area's mapping.</summary>
    private static PlotArea Frame(SvgWriter w, ChartOptions options, bool hasLegend, AxisScale x, AxisScale y, bool categoricalX = false)
    {
        double left = 66, right = hasLegend ? LegendWidth : 24;
        double top = string.IsNullOrEmpty(options.Title) ? 16 : 42, bottom = 54;
        var plot = new PlotArea(left, top, Math.Max(options.Width - left - right, 10), Math.Max(options.Height - top - bottom, 10), x, y);
        if (!string.IsNullOrEmpty(options.Title))
        {
            w.Text(options.Width / 2, 24, options.Title, "middle", 15, bold: true);
        }

        foreach (double t in y.Ticks)
        {
            double py = plot.Py(t);
            w.Line(plot.Left, py, plot.Left + plot.Width, py, ChartPalette.Grid, 1, cssClass: "grid");
            w.Line(plot.Left - 4, py, plot.Left, py, ChartPalette.Ink);
            w.Text(plot.Left - 7, py + 4, y.Label(t), "end", 11);
        }

        if (!categoricalX)
        {
            foreach (double t in x.Ticks)
            {
                double px = plot.Px(t);
                w.Line(px, plot.Top, px, plot.Top + plot.Height, ChartPalette.Grid, 1, cssClass: "grid");
                w.Line(px, plot.Top + plot.Height, px, plot.Top + plot.Height + 4, ChartPalette.Ink);
                w.Text(px, plot.Top + plot.Height + 17, x.Label(t), "middle", 11);
            }
        }

        w.Line(plot.Left, plot.Top + plot.Height, plot.Left + plot.Width, plot.Top + plot.Height, ChartPalette.Ink, 1, cssClass: "axis");
        w.Line(plot.Left, plot.Top, plot.Left, plot.Top + plot.Height, ChartPalette.Ink, 1, cssClass: "axis");
        if (!string.IsNullOrEmpty(options.XLabel))
        {
            w.Text(plot.Left + (plot.Width / 2), options.Height - 12, options.XLabel, "middle", 12);
        }

        if (!string.IsNullOrEmpty(options.YLabel))
        {
            w.Text(16, plot.Top + (plot.Height / 2), options.YLabel, "middle", 12, rotate: -90);
        }

        return plot;
    }

    private static void Legend(SvgWriter w, ChartOptions options, List<(string Name, string Colour, LegendKind Kind)> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        double x = options.Width - LegendWidth + 14;
        double y = string.IsNullOrEmpty(options.Title) ? 24 : 50;
        foreach (var (name, colour, kind) in entries)
        {
            switch (kind)
            {
                case LegendKind.Line:
                case LegendKind.Dashed:
                    w.Line(x, y - 4, x + 22, y - 4, colour, 2.5, kind == LegendKind.Dashed ? "6 4" : null, "legend");
                    break;
                case LegendKind.Dot:
                    w.Circle(x + 11, y - 4, 4, colour);
                    break;
                default:
                    w.Rect(x + 4, y - 10, 14, 12, colour);
                    break;
            }

            string label = name.Length > 22 ? name[..21] + "…" : name;
            w.Text(x + 28, y, label, size: 11);
            y += 18;
        }
    }

    private enum LegendKind
    {
        Line,
        Dashed,
        Dot,
        Box,
    }

    /// <summary>The plot rectangle and the data-to-pixel mapping (values outside the axis range are clamped to its edge).</summary>
    private readonly record struct PlotArea(double Left, double Top, double Width, double Height, AxisScale X, AxisScale Y)
    {
        public double Px(double v) => Left + (Math.Clamp((v - X.Min) / (X.Max - X.Min), 0, 1) * Width);

        public double Py(double v) => Top + Height - (Math.Clamp((v - Y.Min) / (Y.Max - Y.Min), 0, 1) * Height);
    }
}
