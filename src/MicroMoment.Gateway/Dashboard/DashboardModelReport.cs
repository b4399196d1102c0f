using MicroMoment.Grains;
using System.Buffers;
using System.Text.Json;
using MicroMoment.Gateway.Wire;
using MicroMoment.Silo;
using MicroMoment.Silo.Grains;

namespace MicroMoment.Gateway.Dashboard;

/// <summary>
/// The model page's data: version, headline metrics, thresholds and calibration, the cluster centroids projected to 2-D
/// (computed once per model), and the trigger policy the silo runs now (read from the silo on every request, so a
/// reloaded policy file shows at once).
/// </summary>
internal sealed class DashboardModelReport(IMicroMomentSilo silo)
{
    private readonly Lazy<Projection> _projection = new(() => Project(silo));

    /// <summary>The report as UTF-8 JSON, with the running policy as the silo reports it now.</summary>
    public byte[] Json()
    {
        var model = silo.Model;
        var (clusters, points, explainedX, explainedY) = _projection.Value;
        var policy = silo.GetStatistics().Policy;

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
            // The running policy (the policy watcher's live status), never the silo's built-in defaults: a policy file
            // replaces those, and a reload replaces the file's previous version.
            if (policy is null)
            {
                w.WriteNull("policy");
            }
            else
            {
                w.WritePropertyName("policy");
                JsonSerializer.Serialize(w, policy, GatewayJsonContext.Default.PolicyStatus);
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

    private static Projection Project(IMicroMomentSilo silo)
    {
        var clusters = ClusterCentroids.Of(silo.Model);
        var centroids = Enumerable.Range(0, clusters.Count).Select(c => clusters.Centroid(c).ToArray()).ToArray();
        var points = CentroidProjection.Project(centroids, out double explainedX, out double explainedY);
        return new Projection(clusters, points, explainedX, explainedY);
    }

    private sealed record Projection(ClusterCentroids Clusters, (double X, double Y)[] Points, double ExplainedX, double ExplainedY);
}
