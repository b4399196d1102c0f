using System.Globalization;
using System.Text.Json.Nodes;
using MicroMoment.Artifacts;
using MicroMoment.Clustering;
using MicroMoment.Evaluation;
using MicroMoment.Features;
using MicroMoment.Model;

namespace MicroMoment.Scoring;

/// <summary>
/// Everything needed to score live events, as one versioned, checksummed file: feature schema and its
/// hash, scalers, cluster centroids and names, attention-LSTM weights, calibration and thresholds, and which
/// heads it has. A head the model was not trained for (see <see cref="Heads"/>) scores NaN: no score, which no
/// threshold is ever reached by.
/// </summary>
public sealed class MicroMomentModel
{
    /// <summary>Header key that identifies the file's kind.</summary>
    public const string Kind = "micromoment.attention-lstm";

    /// <summary>Creates a model from its fitted parts. A null calibration means the model has no such head (its
    /// threshold is then ignored and reads NaN); at least one head is required.</summary>
    public MicroMomentModel(
        FeaturePipeline features,
        AttentionLstm network,
        PlattCalibrator? buyCalibration,
        PlattCalibrator? exitCalibration,
        float buyThreshold,
        float exitThreshold,
        TimeSpan sessionTimeout,
        ModelInfo info)
    {
        Features = features ?? throw new ArgumentNullException(nameof(features));
        Network = network ?? throw new ArgumentNullException(nameof(network));
        if (network.Shape.InputSize != features.InputDimension)
            throw new ArgumentException($"The network takes {network.Shape.InputSize} inputs but the feature pipeline produces {features.InputDimension}.", nameof(network));
        if (buyCalibration is null && exitCalibration is null)
            throw new ArgumentException("A model needs at least one head; both the buy and the exit calibration are missing.", nameof(buyCalibration));
        if ((buyCalibration is not null && !(buyThreshold is > 0f and < 1f)) || (exitCalibration is not null && !(exitThreshold is > 0f and < 1f)))
            throw new ArgumentOutOfRangeException(nameof(buyThreshold), $"Thresholds must be probabilities in (0, 1); got buy {buyThreshold}, exit {exitThreshold}.");
        if (sessionTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(sessionTimeout), $"The session timeout must be positive; got {sessionTimeout}.");
        BuyCalibration = buyCalibration;
        ExitCalibration = exitCalibration;
        Heads = (buyCalibration is null ? ModelHeads.None : ModelHeads.Buy) | (exitCalibration is null ? ModelHeads.None : ModelHeads.Exit);
        BuyThreshold = buyCalibration is null ? float.NaN : buyThreshold;
        ExitThreshold = exitCalibration is null ? float.NaN : exitThreshold;
        SessionTimeout = sessionTimeout;
        Info = info ?? throw new ArgumentNullException(nameof(info));
    }

    /// <summary>Feature encoding, scaling and behavioral clusters.</summary>
    public FeaturePipeline Features { get; }

    /// <summary>The attention-LSTM.</summary>
    public AttentionLstm Network { get; }

    /// <summary>The heads this model scores; a missing head scores NaN.</summary>
    public ModelHeads Heads { get; }

    /// <summary>True when the model has a buy head.</summary>
    public bool HasBuyHead => (Heads & ModelHeads.Buy) != 0;

    /// <summary>True when the model has an exit head.</summary>
    public bool HasExitHead => (Heads & ModelHeads.Exit) != 0;

    /// <summary>Maps buy logits to calibrated probabilities; null when the model has no buy head.</summary>
    public PlattCalibrator? BuyCalibration { get; }

    /// <summary>Maps exit logits to calibrated probabilities; null when the model has no exit head.</summary>
    public PlattCalibrator? ExitCalibration { get; }

    /// <summary>Decision threshold on the calibrated buy probability, chosen on validation data; NaN without a buy head.</summary>
    public float BuyThreshold { get; }

    /// <summary>Decision threshold on the calibrated exit probability, chosen on validation data; NaN without an exit head.</summary>
    public float ExitThreshold { get; }

    /// <summary>The calibrated buy probability of a logit, or NaN (no score) when the model has no buy head.</summary>
    public float BuyProbability(float logit) => BuyCalibration is { } c ? c.Apply(logit) : float.NaN;

    /// <summary>The calibrated exit probability of a logit, or NaN (no score) when the model has no exit head.</summary>
    public float ExitProbability(float logit) => ExitCalibration is { } c ? c.Apply(logit) : float.NaN;

    /// <summary>Inactivity that ends a session (the sessionizer's rule at training time).</summary>
    public TimeSpan SessionTimeout { get; }

    /// <summary>Provenance and headline metrics.</summary>
    public ModelInfo Info { get; }

    /// <summary>Reads the intent from calibrated probabilities; a missing head's NaN never reaches its threshold.</summary>
    public Intent IntentOf(float buyProbability, float exitProbability) =>
        buyProbability >= BuyThreshold ? Intent.Buy
        : exitProbability >= ExitThreshold ? Intent.Exit
        : Intent.Research;

    /// <summary>Creates a streaming scorer for one shopper.</summary>
    public SessionScorer CreateScorer() => new(this);

    /// <summary>Writes the model file.</summary>
    public void Save(string path) => ToFile().Save(path);

    /// <summary>Builds the file representation.</summary>
    public ModelFile ToFile()
    {
        var shape = Network.Shape;
        var header = new JsonObject
        {
            ["kind"] = Kind,
            ["version"] = Info.Version,
            ["trainedOn"] = Info.TrainedOn,
            ["command"] = Info.Command,
            ["featureSchema"] = new JsonObject
            {
                ["version"] = FeatureSchema.CurrentVersion,
                ["hash"] = Features.Schema.Hash,
                ["names"] = new JsonArray([.. Features.Schema.Names.Select(n => (JsonNode)n)]),
            },
            ["network"] = new JsonObject
            {
                ["inputSize"] = shape.InputSize,
                ["hiddenSize"] = shape.HiddenSize,
                ["attentionSize"] = shape.AttentionSize,
            },
            ["clusters"] = new JsonObject
            {
                ["k"] = Features.Clusters.K,
                ["dimension"] = Features.Clusters.Dimension,
                ["names"] = new JsonArray([.. Features.ClusterNames.Select(n => (JsonNode)n)]),
            },
            ["heads"] = new JsonArray([.. HeadNames(Heads).Select(n => (JsonNode)n)]),
            ["calibration"] = Calibration(),
            ["thresholds"] = Thresholds(),
            ["sessionTimeoutSeconds"] = SessionTimeout.TotalSeconds,
            ["headlineMetrics"] = new JsonObject([.. Info.HeadlineMetrics.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => KeyValuePair.Create(p.Key, (JsonNode?)(double.IsFinite(p.Value) ? JsonValue.Create(p.Value) : null)))]),
        };
        var sections = new Dictionary<string, float[]>
        {
            ["network.parameters"] = Network.Parameters,
            ["features.rawMin"] = Features.RawScaler.Min,
            ["features.rawMax"] = Features.RawScaler.Max,
            ["features.aggregateMin"] = Features.AggregateScaler.Min,
            ["features.aggregateMax"] = Features.AggregateScaler.Max,
            ["clusters.centroids"] = Features.Clusters.Centroids.ToArray(),
        };
        return new ModelFile(header, sections);
    }

    private JsonObject Calibration()
    {
        var calibration = new JsonObject { ["method"] = "platt" };
        if (BuyCalibration is { } buy)
        {
            calibration["buyA"] = buy.A;
            calibration["buyB"] = buy.B;
        }
        if (ExitCalibration is { } exit)
        {
            calibration["exitA"] = exit.A;
            calibration["exitB"] = exit.B;
        }
        return calibration;
    }

    private JsonObject Thresholds()
    {
        var thresholds = new JsonObject();
        if (HasBuyHead) thresholds["buy"] = BuyThreshold;
        if (HasExitHead) thresholds["exit"] = ExitThreshold;
        return thresholds;
    }

    /// <summary>The names of the heads in <paramref name="heads"/>, as the model file lists them ("buy", "exit").</summary>
    public static IEnumerable<string> HeadNames(ModelHeads heads)
    {
        if ((heads & ModelHeads.Buy) != 0) yield return "buy";
        if ((heads & ModelHeads.Exit) != 0) yield return "exit";
    }

    /// <summary>Loads a model file, naming the problem when it is corrupt, truncated or incompatible.</summary>
    public static MicroMomentModel Load(string path) => FromFile(ModelFile.Load(path), path);

    /// <summary>Builds a model from a parsed file.</summary>
    public static MicroMomentModel FromFile(ModelFile file, string name = "model")
    {
        var h = file.Header;
        try
        {
            var kind = h["kind"]?.GetValue<string>();
            if (kind != Kind)
                throw new ModelFormatException($"'{name}' holds a '{kind}' model; this build loads '{Kind}'.");
            var schema = h["featureSchema"]!;
            var schemaVersion = schema["version"]!.GetValue<int>();
            if (schemaVersion != FeatureSchema.CurrentVersion)
                throw new ModelFormatException($"'{name}' was trained with feature schema version {schemaVersion}; this build encodes version {FeatureSchema.CurrentVersion}. Retrain the model.");
            var clusters = h["clusters"]!;
            var k = clusters["k"]!.GetValue<int>();
            var dimension = clusters["dimension"]!.GetValue<int>();
            var clusterNames = clusters["names"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
            var expectedSchema = FeatureSchema.Create(k);
            var storedHash = schema["hash"]!.GetValue<string>();
            if (!string.Equals(storedHash, expectedSchema.Hash, StringComparison.Ordinal))
                throw new ModelFormatException($"'{name}' has feature schema hash {storedHash}; this build's schema for k={k} hashes to {expectedSchema.Hash}. The feature code changed since training: retrain the model.");

            var rawScaler = new MinMaxScaler(
                file.Section("features.rawMin", FeatureEncoder.RawDimension), file.Section("features.rawMax", FeatureEncoder.RawDimension));
            var aggregateScaler = new MinMaxScaler(
                file.Section("features.aggregateMin", SessionAggregates.Dimension), file.Section("features.aggregateMax", SessionAggregates.Dimension));
            var kmeans = new KMeansModel(file.Section("clusters.centroids", k * dimension), dimension);
            var pipeline = new FeaturePipeline(expectedSchema, rawScaler, aggregateScaler, kmeans, clusterNames);

            var net = h["network"]!;
            var shape = new AttentionLstmShape(net["inputSize"]!.GetValue<int>(), net["hiddenSize"]!.GetValue<int>(), net["attentionSize"]!.GetValue<int>());
            var network = AttentionLstm.FromParameters(shape, file.Section("network.parameters"));

            var heads = ReadHeads(file, name);
            var cal = h["calibration"]!;
            var thresholds = h["thresholds"]!;
            var metrics = (h["headlineMetrics"] as JsonObject ?? [])
                .ToDictionary(p => p.Key, p => p.Value is null ? double.NaN : p.Value.GetValue<double>(), StringComparer.Ordinal);
            var info = new ModelInfo(
                h["version"]!.GetValue<string>(), h["trainedOn"]!.GetValue<string>(), h["command"]!.GetValue<string>(), metrics);
            return new MicroMomentModel(
                pipeline,
                network,
                (heads & ModelHeads.Buy) != 0 ? new PlattCalibrator(cal["buyA"]!.GetValue<double>(), cal["buyB"]!.GetValue<double>()) : null,
                (heads & ModelHeads.Exit) != 0 ? new PlattCalibrator(cal["exitA"]!.GetValue<double>(), cal["exitB"]!.GetValue<double>()) : null,
                (heads & ModelHeads.Buy) != 0 ? thresholds["buy"]!.GetValue<float>() : float.NaN,
                (heads & ModelHeads.Exit) != 0 ? thresholds["exit"]!.GetValue<float>() : float.NaN,
                TimeSpan.FromSeconds(h["sessionTimeoutSeconds"]!.GetValue<double>()),
                info);
        }
        catch (ModelFormatException) { throw; }
        catch (Exception ex) when (ex is NullReferenceException or InvalidOperationException or FormatException or ArgumentException or KeyNotFoundException)
        {
            throw new ModelFormatException($"'{name}' has a header this build cannot read ({ex.Message}); it was written by an incompatible version or is damaged.", ex);
        }
    }

    /// <summary>The heads a parsed file declares: version 1 files always had both; version 2 lists them.</summary>
    private static ModelHeads ReadHeads(ModelFile file, string name)
    {
        if (file.Version < 2) return ModelHeads.Both;
        if (file.Header["heads"] is not JsonArray list)
            throw new ModelFormatException($"'{name}' is a version {file.Version} model file without its list of heads; it is damaged or was not written by MicroMoment.");
        var heads = ModelHeads.None;
        foreach (var entry in list)
        {
            var head = entry?.GetValue<string>();
            heads |= head switch
            {
                "buy" => ModelHeads.Buy,
                "exit" => ModelHeads.Exit,
                _ => throw new ModelFormatException($"'{name}' lists a head '{head}'; this build knows the heads 'buy' and 'exit'."),
            };
        }
        if (heads == ModelHeads.None)
            throw new ModelFormatException($"'{name}' lists no heads; a model needs at least one of 'buy' and 'exit'.");
        return heads;
    }

    /// <summary>A short description for logs.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Info.Version}: {Network.Shape.InputSize} inputs, hidden {Network.Shape.HiddenSize}, {Features.Clusters.K} clusters, ") +
        (HasBuyHead ? string.Create(CultureInfo.InvariantCulture, $"buy threshold {BuyThreshold:0.###}") : "no buy head") +
        (HasExitHead ? string.Create(CultureInfo.InvariantCulture, $", exit threshold {ExitThreshold:0.###}") : ", no exit head");
}
