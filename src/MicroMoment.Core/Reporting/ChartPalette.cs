namespace MicroMoment.Reporting;

/// <summary>
/// The report's colours: a colour-blind-safe qualitative palette for series and groups (Okabe–Ito order), neutral
/// greys for axes and reference lines, and a light-to-dark blue ramp for heatmaps.
/// </summary>
public static class ChartPalette
{
    private static readonly string[] s_series =
        ["#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#8C7B00", "#555555"];

    /// <summary>Colour of axes and text.</summary>
    public const string Ink = "#222222";

    /// <summary>Colour of grid lines.</summary>
    public const string Grid = "#e6e6e6";

    /// <summary>Colour of reference lines such as the chance diagonal.</summary>
    public const string Reference = "#9a9a9a";

    /// <summary>Number of distinct series colours before they repeat.</summary>
    public static int Count => s_series.Length;

    /// <summary>The colour of series or group <paramref name="index"/> (cycling).</summary>
    public static string Series(int index) => s_series[((index % s_series.Length) + s_series.Length) % s_series.Length];

    /// <summary>A heatmap colour for <paramref name="t"/> in [0, 1] (clamped): near-white to dark blue.</summary>
    public static string Sequential(double t)
    {
        t = double.IsNaN(t) ? 0 : Math.Clamp(t, 0, 1);
        (double R, double G, double B)[] stops = [(247, 251, 255), (107, 174, 214), (8, 48, 107)];
        double scaled = t * (stops.Length - 1);
        int k = Math.Min((int)scaled, stops.Length - 2);
        double f = scaled - k;
        int r = (int)Math.Round(stops[k].R + ((stops[k + 1].R - stops[k].R) * f));
        int g = (int)Math.Round(stops[k].G + ((stops[k + 1].G - stops[k].G) * f));
        int b = (int)Math.Round(stops[k].B + ((stops[k + 1].B - stops[k].B) * f));
        return $"#{r:x2}{g:x2}{b:x2}";
    }

    /// <summary>Whether text on <see cref="Sequential"/>(<paramref name="t"/>) should be white for contrast.</summary>
    public static bool NeedsLightText(double t) => t > 0.55;
}
