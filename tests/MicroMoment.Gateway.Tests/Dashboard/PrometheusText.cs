using System.Globalization;

namespace MicroMoment.Gateway.Tests.Dashboard;

/// <summary>Reads samples out of a Prometheus text exposition (enough for the tests: no escapes inside label values).</summary>
internal sealed class PrometheusText
{
    private readonly List<(string Name, string Labels, double Value)> _samples = [];

    public PrometheusText(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            int space = line.LastIndexOf(' ');
            var key = line[..space];
            var value = line[(space + 1)..] switch { "+Inf" => double.PositiveInfinity, "NaN" => double.NaN, var v => double.Parse(v, CultureInfo.InvariantCulture) };
            int brace = key.IndexOf('{');
            _samples.Add(brace < 0 ? (key, "", value) : (key[..brace], key[(brace + 1)..^1], value));
        }
    }

    /// <summary>The sum of every sample of <paramref name="name"/> (all label sets).</summary>
    public double Sum(string name)
    {
        var matching = _samples.Where(s => s.Name == name).ToList();
        Assert.True(matching.Count > 0, $"/metrics has no sample named {name}.");
        return matching.Sum(s => s.Value);
    }

    /// <summary>The sum of the samples of <paramref name="name"/> whose labels include all of <paramref name="labels"/> (each e.g. status="accepted").</summary>
    public double Sum(string name, params string[] labels)
    {
        var matching = _samples.Where(s => s.Name == name && labels.All(s.Labels.Split(',').Contains)).ToList();
        Assert.True(matching.Count > 0, $"/metrics has no sample named {name} with {string.Join(",", labels)}.");
        return matching.Sum(s => s.Value);
    }

    /// <summary>
    /// The value of <paramref name="series"/>, written name{label="value",...}: the sum of the samples of that name carrying
    /// those labels (among others such as otel_scope_name), or null when there is none.
    /// </summary>
    public static double? Value(string text, string series)
    {
        int brace = series.IndexOf('{');
        var name = brace < 0 ? series : series[..brace];
        var labels = brace < 0 ? [] : series[(brace + 1)..^1].Split(',');
        var matching = new PrometheusText(text)._samples.Where(s => s.Name == name && labels.All(s.Labels.Split(',').Contains)).ToList();
        return matching.Count == 0 ? null : matching.Sum(s => s.Value);
    }

    /// <summary>True when some sample's name starts with <paramref name="prefix"/>.</summary>
    public bool Has(string prefix) => _samples.Any(s => s.Name.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>The cumulative buckets of histogram <paramref name="name"/>.</summary>
    public KeyValuePair<double, long>[] Buckets(string name) =>
        [.. _samples.Where(s => s.Name == name + "_bucket").Select(s =>
        {
            var le = s.Labels.Split(',').Single(l => l.StartsWith("le=", StringComparison.Ordinal))[4..^1];
            return KeyValuePair.Create(le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture), (long)s.Value);
        })];
}
