using System.Globalization;
using System.Text;

namespace MicroMoment.Reporting;

/// <summary>Appends SVG elements with escaped text and compact invariant-culture numbers.</summary>
internal sealed class SvgWriter
{
    public const string FontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

    private readonly StringBuilder _sb = new();

    public SvgWriter(double width, double height, string title)
    {
        _sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").Append(N(width)).Append(' ').Append(N(height))
            .Append("\" width=\"").Append(N(width)).Append("\" height=\"").Append(N(height))
            .Append("\" role=\"img\" aria-label=\"").Append(XmlText.Escape(title))
            .Append("\" font-family=\"").Append(XmlText.Escape(FontFamily)).Append("\" font-size=\"12\">")
            .Append("<title>").Append(XmlText.Escape(title)).Append("</title>")
            .Append("<rect x=\"0\" y=\"0\" width=\"").Append(N(width)).Append("\" height=\"").Append(N(height)).Append("\" fill=\"#ffffff\"/>");
    }

    /// <summary>Formats a coordinate or value with at most two decimals, never "-0".</summary>
    public static string N(double v)
    {
        double r = Math.Round(v, 2);
        return (r == 0 ? 0 : r).ToString("0.##", CultureInfo.InvariantCulture);
    }

    public void Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, string? dash = null, string? cssClass = null)
    {
        _sb.Append("<line x1=\"").Append(N(x1)).Append("\" y1=\"").Append(N(y1)).Append("\" x2=\"").Append(N(x2))
            .Append("\" y2=\"").Append(N(y2)).Append("\" stroke=\"").Append(stroke).Append("\" stroke-width=\"").Append(N(width)).Append('"');
        if (dash is not null)
        {
            _sb.Append(" stroke-dasharray=\"").Append(dash).Append('"');
        }

        if (cssClass is not null)
        {
            _sb.Append(" class=\"").Append(cssClass).Append('"');
        }

        _sb.Append("/>");
    }

    public void Rect(double x, double y, double w, double h, string fill, string? stroke = null, string? tooltip = null)
    {
        _sb.Append("<rect x=\"").Append(N(x)).Append("\" y=\"").Append(N(y)).Append("\" width=\"").Append(N(Math.Max(w, 0)))
            .Append("\" height=\"").Append(N(Math.Max(h, 0))).Append("\" fill=\"").Append(fill).Append('"');
        if (stroke is not null)
        {
            _sb.Append(" stroke=\"").Append(stroke).Append("\" stroke-width=\"0.5\"");
        }

        if (tooltip is null)
        {
            _sb.Append("/>");
        }
        else
        {
            _sb.Append("><title>").Append(XmlText.Escape(tooltip)).Append("</title></rect>");
        }
    }

    public void Circle(double cx, double cy, double r, string fill)
    {
        _sb.Append("<circle cx=\"").Append(N(cx)).Append("\" cy=\"").Append(N(cy)).Append("\" r=\"").Append(N(r))
            .Append("\" fill=\"").Append(fill).Append("\"/>");
    }

    /// <summary>Text; a '\n' in <paramref name="text"/> starts a new line below.</summary>
    public void Text(
        double x, double y, string text, string anchor = "start", double size = 12, string fill = ChartPalette.Ink,
        bool bold = false, double rotate = 0, string? baseline = null)
    {
        _sb.Append("<text x=\"").Append(N(x)).Append("\" y=\"").Append(N(y)).Append("\" font-size=\"").Append(N(size))
            .Append("\" fill=\"").Append(fill).Append('"');
        if (anchor != "start")
        {
            _sb.Append(" text-anchor=\"").Append(anchor).Append('"');
        }

        if (bold)
        {
            _sb.Append(" font-weight=\"600\"");
        }

        if (baseline is not null)
        {
            _sb.Append(" dominant-baseline=\"").Append(baseline).Append('"');
        }

        if (rotate != 0)
        {
            _sb.Append(" transform=\"rotate(").Append(N(rotate)).Append(' ').Append(N(x)).Append(' ').Append(N(y)).Append(")\"");
        }

        _sb.Append('>');
        var lines = text.Split('\n');
        if (lines.Length == 1)
        {
            _sb.Append(XmlText.Escape(text));
        }
        else
        {
            for (int i = 0; i < lines.Length; i++)
            {
                _sb.Append("<tspan x=\"").Append(N(x)).Append("\" dy=\"").Append(i == 0 ? "0" : N(size * 1.15)).Append("\">")
                    .Append(XmlText.Escape(lines[i])).Append("</tspan>");
            }
        }

        _sb.Append("</text>");
    }

    /// <summary>A path carrying one data series; the series name becomes its hover tooltip.</summary>
    public void SeriesPath(string d, string name, string stroke, string fill, double width, string? dash = null, double opacity = 1)
    {
        _sb.Append("<path class=\"series\" d=\"").Append(d).Append("\" stroke=\"").Append(stroke).Append("\" stroke-width=\"").Append(N(width))
            .Append("\" fill=\"").Append(fill).Append("\" stroke-linejoin=\"round\" stroke-linecap=\"round\"");
        if (dash is not null)
        {
            _sb.Append(" stroke-dasharray=\"").Append(dash).Append('"');
        }

        if (opacity < 1)
        {
            _sb.Append(" opacity=\"").Append(N(opacity)).Append('"');
        }

        _sb.Append("><title>").Append(XmlText.Escape(name)).Append("</title></path>");
    }

    public string Close() => _sb.Append("</svg>").ToString();
}
