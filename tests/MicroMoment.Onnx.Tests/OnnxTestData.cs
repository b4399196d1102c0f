using MicroMoment.Data;
using MicroMoment.Events;
using MicroMoment.Features;
using MicroMoment.Scoring;

namespace MicroMoment.Onnx.Tests;

/// <summary>The bundled model, the shared REES46 sample and its sessions encoded as model inputs.</summary>
public static class OnnxTestData
{
    private static readonly Lazy<MicroMomentModel> LazyModel = new(() => MicroMomentModel.Load(Path.Combine(RepositoryRoot, "models", "default", "model.mmm")));
    private static readonly Lazy<ClickEvent[]> LazyRees46 = new(() => Rees46CsvReader.Read(Rees46HeadPath, new IngestReport()).ToArray());
    private static readonly Lazy<float[][][]> LazySessions = new(() => EncodeSessions(BundledModel, Rees46));

    /// <summary>The bundled model (models/default/model.mmm), loaded once.</summary>
    public static MicroMomentModel BundledModel => LazyModel.Value;

    /// <summary>The REES46 head sample, in file order.</summary>
    public static ClickEvent[] Rees46 => LazyRees46.Value;

    /// <summary>The sample's sessions (per shopper, split by the model's session timeout) as model inputs: session, event, feature.</summary>
    public static float[][][] Rees46Sessions => LazySessions.Value;

    /// <summary>The folder holding MicroMoment.Orleans.sln.</summary>
    public static string RepositoryRoot => MicroMoment.Testing.RepositoryLayout.Root;

    /// <summary>&lt;root&gt;/../shared/data/rees46/2019-Oct-head.csv.gz.</summary>
    public static string Rees46HeadPath => MicroMoment.Testing.RepositoryLayout.SharedData("rees46/2019-Oct-head.csv.gz", "the ONNX tests");

    /// <summary>Encodes every session of <paramref name="events"/> with the streaming scorer's feature path.</summary>
    public static float[][][] EncodeSessions(MicroMomentModel model, IEnumerable<ClickEvent> events)
    {
        var sessions = new List<float[][]>();
        var scratch = new float[model.Network.StateSize];
        foreach (var user in events.GroupBy(e => (e.Tenant, e.UserId)))
        {
            SessionFeatureState features = default;
            features.Reset();
            long last = 0;
            int length = 0;
            List<float[]>? current = null;
            foreach (var e in user)
            {
                var input = new float[model.Features.InputDimension];
                bool newSession = SessionScorer.Prepare(model, ref features, scratch, ref last, ref length, e, input, out _, out _);
                if (newSession)
                {
                    if (current is not null) sessions.Add([.. current]);
                    current = [];
                }

                current!.Add(input);
            }

            if (current is not null) sessions.Add([.. current]);
        }

        return [.. sessions];
    }

    /// <summary>Reset states for <paramref name="rows"/> shoppers.</summary>
    public static float[] ResetStates(MicroMomentModel model, int rows)
    {
        int s = model.Network.StateSize;
        var states = new float[rows * s];
        for (int r = 0; r < rows; r++) model.Network.ResetState(states.AsSpan(r * s, s));
        return states;
    }
}
