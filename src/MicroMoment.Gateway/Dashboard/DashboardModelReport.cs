using System.Buffers;
using System.Text.Json;
using MicroMoment.Silo;
using MicroMoment.Silo.Grains;

namespace MicroMoment.Gateway.Dashboard;

/// <summary>The model page's data: version, headline metrics, thresholds and calibration, and the cluster centroids projected to 2-D. Built once per model.</summary>
internal sealed class DashboardModelReport(IMicroMomentSilo silo)
{
    private readonly Lazy<byte[]> _json = new(() => Build(silo));

    /// <summary>The report as UTF-8 JSON.</summary>
    public byte[] Json => _json.Value;

    private static byte[] Build(IMicroMomentSilo silo)
    {
        var model = silo.Model;
        var clusters = new ClusterCentroidGrain(model);
        var centroids = Enumerable.Range(0, clusters.Count).Select(clusters.Centroid).ToArray();
        var points = CentroidProjection.Project(centroids, out double explainedX, out double explainedY);
        var trigger = (silo as EmbeddedSilo)?.Options.Trigger;

        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("version", model.Info.Version);
            w.WriteString("trainedOn", model.Info.TrainedOn);
            w.WriteString("command", model.Info.Command);
            w.WriteStartObject("headlineMetrics");
            foreach (var pair in model.Info.HeadlineMetrics.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (double.IsFinite(pair.Value)) w.WriteNumber(pair.Key, pair.Value);
                else w.WriteNull(pair.Key);
            }
            w.WriteEndObject();
            w.WriteStartArray("heads");
            foreach (var head in Scoring.MicroMomentModel.HeadNames(model.Heads)) w.WriteStringValue(head);
            w.WriteEndArray();
            // A head the model does not have has no threshold or calibration: null, never NaN (JSON has none).
            Number(w, "buyThreshold", model.BuyThreshold);
            Number(w, "exitThreshold", model.ExitThreshold);
            w.WriteNumber("sessionTimeoutMinutes", model.SessionTimeout.TotalMinutes);
            w.WriteStartObject("calibration");
            w.WriteString("method", (model.BuyCalibration ?? model.ExitCalibration)!.Method);
            Number(w, "buyA", model.BuyCalibration?.A ?? double.NaN);
            Number(w, "buyB", model.BuyCalibration?.B ?? double.NaN);
            Number(w, "exitA", model.ExitCalibration?.A ?? double.NaN);
            Number(w, "exitB", model.ExitCalibration?.B ?? double.NaN);
            w.WriteEndObject();
            if (trigger is not null)
            {
                w.WriteStartObject("trigger");
                w.WriteString("policyVersion", trigger.PolicyVersion);
                if (trigger.BuyThreshold is { } buy) w.WriteNumber("buyThreshold", buy);
                if (trigger.ExitThreshold is { } exit) w.WriteNumber("exitThreshold", exit);
                w.WriteNumber("cooldownSeconds", trigger.Cooldown.TotalSeconds);
                w.WriteNumber("maxOffersPerSession", trigger.MaxOffersPerSession);
                if (trigger.BuyThresholdByCluster is { } byCluster)
                {
                    w.WriteStartObject("buyThresholdByCluster");
                    foreach (var pair in byCluster.OrderBy(p => p.Key)) w.WriteNumber(clusters.NameOf(pair.Key) ?? pair.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), pair.Value);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteNumber("explainedX", explainedX);
            w.WriteNumber("explainedY", explainedY);
            w.WriteStartArray("clusters");
            for (int c = 0; c < clusters.Count; c++)
            {
                w.WriteStartObject();
                w.WriteNumber("index", c);
                w.WriteString("name", clusters.Names[c]);
                w.WriteNumber("x", points[c].X);
                w.WriteNumber("y", points[c].Y);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteNull(name);
    }
}
