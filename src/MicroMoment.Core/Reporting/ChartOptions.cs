namespace MicroMoment.Reporting;

/// <summary>Layout and annotation settings shared by the <see cref="SvgChart"/> builders; each chart uses the ones that apply.</summary>
public sealed record ChartOptions
{
    /// <summary>Title drawn above the plot (also the SVG's accessible name).</summary>
    public string Title { get; init; } = "";

    /// <summary>Label of the horizontal axis.</summary>
    public string XLabel { get; init; } = "";

    /// <summary>Label of the vertical axis.</summary>
    public string YLabel { get; init; } = "";

    /// <summary>Width in pixels.</summary>
    public double Width { get; init; } = 640;

    /// <summary>Height in pixels.</summary>
    public double Height { get; init; } = 400;

    /// <summary>Fixed lower end of the x axis; null = from the data, widened to a tick.</summary>
    public double? XMin { get; init; }

    /// <summary>Fixed upper end of the x axis; null = from the data.</summary>
    public double? XMax { get; init; }

    /// <summary>Fixed lower end of the y axis; null = from the data (bar charts include 0).</summary>
    public double? YMin { get; init; }

    /// <summary>Fixed upper end of the y axis; null = from the data.</summary>
    public double? YMax { get; init; }

    /// <summary>Line charts: draw the dashed y = x reference (chance line of a ROC curve, perfect calibration).</summary>
    public bool ShowDiagonal { get; init; }

    /// <summary>Line charts: vertical annotated lines, e.g. the chosen number of clusters.</summary>
    public IReadOnlyList<ChartMarker> Markers { get; init; } = [];

    /// <summary>Bar charts: .NET format for value labels on the bars (null = no labels). Heatmaps: format of cell values.</summary>
    public string? ValueFormat { get; init; }
}
