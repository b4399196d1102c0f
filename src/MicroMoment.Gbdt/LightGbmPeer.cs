using System.Globalization;
using System.Runtime.InteropServices;
using MicroMoment.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace MicroMoment.Gbdt;

/// <summary>
/// Gradient-boosted decision trees (LightGBM, through ML.NET's Microsoft.ML.LightGbm) on the flat prefix rows every
/// row-based peer gets: binary log loss, early-stopped on the validation prefixes' log loss, deterministic for a seed.
/// Its raw margins are Platt-calibrated by the experiment like every other model's scores.
/// </summary>
public sealed class LightGbmPeer(LightGbmPeerOptions? options = null) : IPrefixClassifierTrainer
{
    /// <summary>The model name in results.</summary>
    public const string ModelName = "gradient-boosted-trees";

    private readonly LightGbmPeerOptions _options = options ?? new LightGbmPeerOptions();

    /// <inheritdoc/>
    public string Name => ModelName;

    /// <summary>The settings in use.</summary>
    public LightGbmPeerOptions Options => _options;

    /// <inheritdoc/>
    public IPrefixClassifier Fit(PrefixRows train, PrefixRows? validation, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(train);
        _options.Validate();
        if (!train.HasBothClasses)
            throw new ArgumentException($"Gradient-boosted trees need both classes in the training rows; got {train.Positives} positives of {train.Count}.", nameof(train));
        if (validation is not null && validation.Dimension != train.Dimension)
            throw new ArgumentException($"The validation rows have {validation.Dimension} features; the training rows have {train.Dimension}.", nameof(validation));

        var stopEarly = validation is { HasBothClasses: true };
        var intSeed = (int)(seed % int.MaxValue);
        var context = new MLContext(intSeed);
        var trainer = context.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            NumberOfIterations = stopEarly ? _options.MaxIterations : _options.IterationsWithoutValidation,
            EarlyStoppingRound = stopEarly ? _options.EarlyStoppingRounds : 0,
            EvaluationMetric = LightGbmBinaryTrainer.Options.EvaluateMetricType.Logloss,
            LearningRate = _options.LearningRate,
            NumberOfLeaves = _options.Leaves,
            MinimumExampleCountPerLeaf = _options.MinimumExamplesPerLeaf,
            NumberOfThreads = _options.Threads,
            Seed = intSeed,
            Deterministic = true,
            ForceColumnWise = true,
            Silent = true,
            Verbose = false,
        });
        var model = NativeCall(() => stopEarly
            ? trainer.Fit(DataView(context, train), DataView(context, validation!))
            : trainer.Fit(DataView(context, train)));
        var trees = model.Model.SubModel.TrainedTreeEnsemble.Trees.Count;
        var gains = default(VBuffer<float>);
        model.Model.SubModel.GetFeatureWeights(ref gains);
        return new Fitted(context, model, train.Dimension, Describe(trees, stopEarly, train.FeatureNames, gains.DenseValues().ToArray()));
    }

    /// <summary>Runs <paramref name="call"/>, turning a LightGBM native library that cannot load into a message that says what to do.</summary>
    private static T NativeCall<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            throw new PlatformNotSupportedException(
                $"Gradient-boosted trees need LightGBM's native library, which could not be loaded on {RuntimeInformation.RuntimeIdentifier} ({ex.Message}); " +
                "Microsoft.ML.LightGbm ships it for linux-x64, osx-x64 and win-x64. Train without the trees (micromoment train --no-gbdt).", ex);
        }
    }

    private string Describe(int trees, bool stoppedEarly, IReadOnlyList<string> names, float[] gains)
    {
        var total = gains.Sum(g => (double)g);
        var top = gains.Select((g, i) => (Gain: (double)g, Name: names[i])).Where(x => x.Gain > 0).OrderByDescending(x => x.Gain).Take(5)
            .Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Name} {x.Gain / total:0%}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"LightGBM, {trees} trees of at most {_options.Leaves} leaves, learning rate {_options.LearningRate}, ") +
            (stoppedEarly
                ? string.Create(CultureInfo.InvariantCulture, $"early-stopped on the validation log loss (patience {_options.EarlyStoppingRounds} rounds, at most {_options.MaxIterations})")
                : string.Create(CultureInfo.InvariantCulture, $"{_options.IterationsWithoutValidation} rounds without early stopping (the validation rows hold one class)")) +
            (total > 0 ? "; largest split gains: " + string.Join(", ", top) : string.Empty);
    }

    /// <summary>An ML.NET view of the rows (read lazily; each pass copies one row at a time).</summary>
    private static IDataView DataView(MLContext context, PrefixRows rows)
    {
        var schema = SchemaDefinition.Create(typeof(Example));
        schema[nameof(Example.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, rows.Dimension);
        return context.Data.LoadFromEnumerable(Examples(rows), schema);
    }

    private static IEnumerable<Example> Examples(PrefixRows rows)
    {
        for (var i = 0; i < rows.Count; i++) yield return new Example { Features = rows.Features(i).ToArray(), Label = rows.Label(i) == 1 };
    }

    /// <summary>One row as ML.NET reads it.</summary>
    private sealed class Example
    {
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    private sealed class Fitted(MLContext context, ITransformer model, int dimension, string description) : IPrefixClassifier
    {
        public string Description => description;

        public void Score(PrefixRows rows, Span<float> scores)
        {
            ArgumentNullException.ThrowIfNull(rows);
            if (rows.Dimension != dimension)
                throw new ArgumentException($"The rows have {rows.Dimension} features; the trees were trained on {dimension}.", nameof(rows));
            if (scores.Length < rows.Count)
                throw new ArgumentException($"The score span holds {scores.Length} values; {rows.Count} rows need one each.", nameof(scores));
            var i = 0;
            foreach (var margin in model.Transform(DataView(context, rows)).GetColumn<float>("Score"))
                scores[i++] = margin;
        }
    }
}
