using System.Globalization;
using MicroMoment.Reporting;
using MicroMoment.Scoring;

namespace MicroMoment.Cli.Simulation;

/// <summary>What <c>simulate-policy</c> found: the input policy's run, the sweep, and the recommended policy's run.</summary>
/// <param name="Model">The model, in words.</param>
/// <param name="Data">The log files.</param>
/// <param name="Tenant">The tenant the events were simulated under.</param>
/// <param name="Events">Events replayed.</param>
/// <param name="PolicyFile">The input policy file.</param>
/// <param name="Current">The input policy's run.</param>
/// <param name="CurrentMetrics">Its outcome.</param>
/// <param name="Sweep">The threshold sweep, or null when skipped.</param>
/// <param name="RecommendedFile">The recommended policy file, or null.</param>
/// <param name="Recommended">The recommended policy's run, or null.</param>
/// <param name="RecommendedMetrics">Its outcome, or null.</param>
internal sealed record PolicySimulation(string Model, IReadOnlyList<string> Data, string Tenant, long Events, string PolicyFile,
    SimulationRun Current, PolicyMetrics CurrentMetrics, SweepResult? Sweep, string? RecommendedFile, SimulationRun? Recommended, PolicyMetrics? RecommendedMetrics);

/// <summary>Writes a <see cref="PolicySimulation"/> as a self-contained HTML report with trade-off curves, and as JSON.</summary>
internal static class PolicySimulationReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes policy-simulation.html and policy-simulation.json into <paramref name="folder"/>.</summary>
    public static (string Html, string Json) Write(PolicySimulation simulation, string folder, string? recommendedText)
    {
        Directory.CreateDirectory(folder);
        string html = Path.Combine(folder, "policy-simulation.html");
        string json = Path.Combine(folder, "policy-simulation.json");
        Html(simulation, recommendedText).Save(html);
        MetricsJson.Write(json, Json(simulation));
        return (html, json);
    }

    /// <summary>The rows of the comparison table: measure, input policy, recommended policy (or empty).</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Rows(PolicyMetrics current, PolicyMetrics? recommended)
    {
        var rows = new List<IReadOnlyList<string>>();
        void Row(string name, Func<PolicyMetrics, string> value) => rows.Add([name, value(current), recommended is null ? "" : value(recommended)]);
        Row("sessions", m => m.Sessions.ToString("N0", Inv) + (m.CensoredSessions > 0 ? $" ({m.CensoredSessions:N0} cut off by the end of the log)" : ""));
        Row("purchasing sessions", m => m.PurchasingSessions.ToString("N0", Inv));
        Row("triggers (fire points) per 1,000 sessions", m => m.TriggersPer1000Sessions.ToString("0.#", Inv));
        Row("offers per 1,000 sessions (holdout excluded)", m => m.OffersPer1000Sessions.ToString("0.#", Inv));
        Row("triggered sessions", m => m.TriggeredSessions.ToString("N0", Inv));
        Row("precision (triggered sessions that purchased)", m => m.Precision.ToString());
        Row("coverage (purchasing sessions triggered before the purchase)", m => m.Coverage.ToString());
        Row("false-alarm rate (non-buying sessions triggered)", m => m.FalseAlarmRate.ToString());
        Row("precision, sessions not cut off", m => m.ClosedPrecision.ToString());
        Row("false-alarm rate, sessions not cut off", m => m.ClosedFalseAlarmRate.ToString());
        Row("lead time, events", m => m.LeadTimeEvents.Describe());
        Row("lead time, seconds", m => m.LeadTimeSeconds.Describe("0"));
        Row("expected value per 1,000 sessions", m => m.ExpectedValuePer1000Sessions.ToString("0.##", Inv));
        Row("suppressions by reason", m => string.Join(", ", m.SuppressionsByReason.Select(p => $"{p.Key} {p.Value:N0}")));
        return rows;
    }

    private static HtmlReport Html(PolicySimulation s, string? recommendedText)
    {
        var report = new HtmlReport("Trigger policy simulation");
        report.Paragraph($"Model {s.Model}. Policy {s.PolicyFile} (version {s.Current.PolicyVersion}). Data: {string.Join(", ", s.Data)}; {s.Events:N0} events replayed through the user grains and the trigger engine (tenant '{s.Tenant}') in event-time order, {s.Current.EventsPerSecond:N0} events/s.");
        report.Paragraph("A fire point is an offer or a holdout shopper's would-be offer (the policy's targeting, whichever arm). Sessions are the grains' sessions (30 minutes of inactivity end one). Precision: triggered sessions that purchased. Coverage: purchasing sessions whose first fire point came before their first purchase. False-alarm rate: sessions without a purchase that were triggered, over sessions without a purchase. Lead time: from the first fire point to the first purchase. Intervals are 95% Wilson score intervals. Sessions cut off by the end of the log may still have purchased later; the rows 'sessions not cut off' leave them out.");

        report.Section("Outcome");
        report.Table(["measure", $"policy {s.Current.PolicyVersion}", s.Recommended is null ? "" : $"recommended ({s.Recommended.PolicyVersion}, simulated again)"], Rows(s.CurrentMetrics, s.RecommendedMetrics));
        var reasons = s.CurrentMetrics.SuppressionsByReason.Keys.Union(s.RecommendedMetrics?.SuppressionsByReason.Keys ?? []).ToList();
        if (reasons.Count > 0)
        {
            var series = new List<BarSeries> { new($"policy {s.Current.PolicyVersion}", [.. reasons.Select(r => (double)s.CurrentMetrics.SuppressionsByReason.GetValueOrDefault(r))]) };
            if (s.RecommendedMetrics is { } rec) series.Add(new("recommended", [.. reasons.Select(r => (double)rec.SuppressionsByReason.GetValueOrDefault(r))]));
            report.Figure(SvgChart.Bar(reasons, series, new ChartOptions { Title = "Decisions not to fire, by reason", YLabel = "events", ValueFormat = "N0", Width = 760 }),
                "Every scored event that did not fire an offer, by the first gate that stopped it (holdout: the policy would have fired).");
        }

        if (s.Sweep is { } sweep)
        {
            report.Section("Threshold sweep");
            report.Paragraph($"Cost model: {sweep.Cost.Describe()}");
            report.Paragraph($"The sweep replays the recorded scores (they do not depend on the policy): a session counts as triggered when an event before its first purchase reaches the threshold of its intent and cluster. It does not model confirmation, debounce, cooldown, caps, context or cart gates, or the holdout, which is why the recommended policy was simulated again through the grains (the table above). Sweep model, input thresholds: {sweep.CurrentTriggered:N0} sessions triggered, {sweep.CurrentCovered:N0} of them before a purchase, value {sweep.CurrentValue:N1}; recommended: {sweep.RecommendedTriggered:N0}, {sweep.RecommendedCovered:N0}, value {sweep.RecommendedValue:N1} ({sweep.Rounds} rounds of coordinate ascent over {ThresholdSweep.Candidates.Length} candidates per intent and cluster).");
            report.Table(["intent", "cluster", "events before a purchase", "input threshold", "recommended", "value at input (others recommended)", "value at recommended"],
                sweep.Coordinates.Select(c => (IReadOnlyList<string>)[
                    Name(c.Intent), c.ClusterName, c.Curve.Events.ToString("N0", Inv), c.Current.ToString("0.###", Inv),
                    c.NoData ? "kept (no data)" : c.Recommended.ToString("0.00", Inv) + (c.Recommended >= 1f ? " (off)" : ""),
                    c.Curve.ValueAt(c.Current).ToString("N1", Inv), c.Curve.ValueAt(c.Recommended).ToString("N1", Inv)]));
            foreach (var c in sweep.Coordinates.Where(c => !c.NoData))
            {
                report.Subsection($"{Name(c.Intent)} intent, cluster {c.ClusterName}");
                var x = ThresholdSweep.Candidates.Select(v => (double)v).ToArray();
                var curve = c.Curve;
                var markers = new List<ChartMarker> { new(c.Current, "input"), new(c.Recommended, "recommended") };
                report.Figure(SvgChart.Line([new LineSeries("expected value", x, curve.ExpectedValue)],
                        new ChartOptions { Title = $"Expected value — {Name(c.Intent)}, {c.ClusterName}", XLabel = "threshold", YLabel = "value", XMin = 0, XMax = 1, Markers = markers }),
                    "Expected value of all sessions under the cost model as this threshold moves (the others at their recommended values).");
                var precision = Enumerable.Range(0, x.Length).Select(k => curve.Triggered[k] == 0 ? double.NaN : (double)curve.Covered[k] / curve.Triggered[k]).ToArray();
                var coverage = curve.Covered.Select(v => curve.PurchasingSessions == 0 ? double.NaN : (double)v / curve.PurchasingSessions).ToArray();
                var perThousand = curve.Triggered.Select(v => curve.TotalSessions == 0 ? double.NaN : v / (double)curve.TotalSessions).ToArray();
                var series = new List<LineSeries>
                {
                    Finite("precision", x, precision),
                    Finite("coverage", x, coverage),
                    Finite("share triggered", x, perThousand) with { Dashed = true },
                };
                report.Figure(SvgChart.Line([.. series.Where(l => l.X.Count > 0)],
                        new ChartOptions { Title = $"Trade-off — {Name(c.Intent)}, {c.ClusterName}", XLabel = "threshold", YLabel = "share", XMin = 0, XMax = 1, YMin = 0, YMax = 1, Markers = markers }),
                    "Precision (triggered sessions that purchased), coverage (purchasing sessions triggered before the purchase) and the share of sessions triggered, by threshold.");
            }
        }

        if (recommendedText is not null)
        {
            report.Section("Recommended policy");
            report.Paragraph($"Written to {s.RecommendedFile}. It loads with the same validation as serve's --policy and was simulated again above.");
            report.Preformatted(recommendedText);
        }
        return report;
    }

    private static LineSeries Finite(string name, double[] x, double[] y)
    {
        var keep = Enumerable.Range(0, x.Length).Where(i => double.IsFinite(y[i])).ToArray();
        return new LineSeries(name, [.. keep.Select(i => x[i])], [.. keep.Select(i => y[i])]);
    }

    private static string Name(Intent intent) => intent.ToString().ToLowerInvariant();

    private static object Json(PolicySimulation s) => new
    {
        s.Model,
        s.Data,
        s.Tenant,
        s.Events,
        s.PolicyFile,
        Current = new { s.Current.PolicyVersion, ElapsedSeconds = s.Current.Elapsed.TotalSeconds, s.Current.EventsPerSecond, Metrics = Flatten(s.CurrentMetrics) },
        Sweep = s.Sweep is not { } sweep ? null : new
        {
            sweep.Cost,
            sweep.Rounds,
            sweep.CurrentTriggered,
            sweep.CurrentCovered,
            sweep.CurrentValue,
            sweep.RecommendedTriggered,
            sweep.RecommendedCovered,
            sweep.RecommendedValue,
            Coordinates = sweep.Coordinates.Select(c => new
            {
                Intent = Name(c.Intent),
                c.ClusterName,
                c.Curve.Events,
                c.Current,
                Recommended = c.NoData ? (float?)null : c.Recommended,
                Curve = c.NoData ? null : ThresholdSweep.Candidates.Select((t, k) => new { Threshold = t, Triggered = c.Curve.Triggered[k], Covered = c.Curve.Covered[k], ExpectedValue = c.Curve.ExpectedValue[k] }).ToArray(),
            }),
        },
        s.RecommendedFile,
        Recommended = s.Recommended is null || s.RecommendedMetrics is null ? null : new { s.Recommended.PolicyVersion, ElapsedSeconds = s.Recommended.Elapsed.TotalSeconds, Metrics = Flatten(s.RecommendedMetrics) },
    };

    private static object Flatten(PolicyMetrics m) => new
    {
        m.Events,
        m.Sessions,
        m.CensoredSessions,
        m.PurchasingSessions,
        m.NonPurchasingSessions,
        m.TriggeredSessions,
        m.TriggeredPurchasingSessions,
        m.CoveredSessions,
        m.FirePoints,
        m.Offers,
        m.HoldoutFires,
        m.TriggersPer1000Sessions,
        m.OffersPer1000Sessions,
        Precision = Interval(m.Precision),
        Coverage = Interval(m.Coverage),
        FalseAlarmRate = Interval(m.FalseAlarmRate),
        ClosedPrecision = Interval(m.ClosedPrecision),
        ClosedFalseAlarmRate = Interval(m.ClosedFalseAlarmRate),
        m.LeadTimeEvents,
        m.LeadTimeSeconds,
        m.SuppressionsByReason,
        m.ExpectedValue,
        m.ExpectedValuePer1000Sessions,
    };

    private static object Interval(Rate r) => new { r.Value, r.Low, r.High, r.Successes, r.Trials };
}
