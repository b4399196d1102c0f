using System.Globalization;
using System.Text;

namespace MicroMoment.Gateway.Metrics;

/// <summary>Writes the Prometheus text exposition format (version 0.0.4).</summary>
internal sealed class PrometheusWriter
{
    /// <summary>The content type of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new(8192);

    /// <summary>Starts a metric family.</summary>
    public PrometheusWriter Family(string name, string type, string help)
    {
        _text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\").Replace("\n", "\\n")).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        return this;
    }

    /// <summary>Writes one sample; <paramref name="labels"/> are name/value pairs.</summary>
    public PrometheusWriter Sample(string name, double value, params ReadOnlySpan<(string Name, string Value)> labels)
    {
        _text.Append(name);
        if (labels.Length > 0)
        {
            _text.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                if (i > 0) _text.Append(',');
                _text.Append(labels[i].Name).Append("=\"");
                foreach (var c in labels[i].Value)
                {
                    _ = c switch
                    {
                        '\\' => _text.Append("\\\\"),
                        '"' => _text.Append("\\\""),
                        '\n' => _text.Append("\\n"),
                        _ => _text.Append(c),
                    };
                }
                _text.Append('"');
            }
            _text.Append('}');
        }
        _text.Append(' ').Append(Format(value)).Append('\n');
        return this;
    }

    /// <summary>Writes a whole histogram: cumulative buckets (bounds in seconds, +Inf last), sum and count.</summary>
    public PrometheusWriter Histogram(string name, IReadOnlyList<KeyValuePair<double, long>> cumulativeBuckets, double sum, long count, params (string Name, string Value)[] labels)
    {
        var withLe = new (string, string)[labels.Length + 1];
        labels.CopyTo(withLe, 0);
        var sawInfinity = false;
        foreach (var (bound, cumulative) in cumulativeBuckets)
        {
            sawInfinity |= double.IsPositiveInfinity(bound);
            withLe[^1] = ("le", Format(bound));
            Sample(name + "_bucket", cumulative, withLe);
        }
        if (!sawInfinity)
        {
            withLe[^1] = ("le", "+Inf");
            Sample(name + "_bucket", count, withLe);
        }
        Sample(name + "_sum", sum, labels);
        Sample(name + "_count", count, labels);
        return this;
    }

    /// <summary>The text written so far.</summary>
    public override string ToString() => _text.ToString();

    private static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : double.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture);
}
