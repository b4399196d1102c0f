using MicroMoment.Features;
using MicroMoment.Model;

namespace MicroMoment.Training;

/// <summary>Options of a training-and-evaluation run.</summary>
public sealed class ExperimentOptions
{
    /// <summary>The default session bound: large enough for stable metrics, small enough that the encoded prefixes
    /// (about 55 floats per event) of every split fit in a few hundred megabytes and an epoch takes minutes on two cores.</summary>
    public const int DefaultMaxSessions = 400_000;

    /// <summary>LSTM hidden size.</summary>
    public int HiddenSize { get; set; } = 64;

    /// <summary>Attention projection size.</summary>
    public int AttentionSize { get; set; } = 32;

    /// <summary>Repeated splits per protocol (seeds), for mean and spread.</summary>
    public int Repeats { get; set; } = 5;

    /// <summary>Base seed; repeat r uses <c>Seed + r</c>.</summary>
    public ulong Seed { get; set; } = 1;

    /// <summary>Whether to run the paper's stratified random 80/20 protocol besides the time split.</summary>
    public bool RandomSplits { get; set; } = true;

    /// <summary>Share of sessions (latest by start time) held out for test in the time split.</summary>
    public double TimeTestShare { get; set; } = 0.25;

    /// <summary>Share of sessions (just before the test period) used for validation in the time split.</summary>
    public double TimeValidationShare { get; set; } = 0.15;

    /// <summary>Inactivity that ends a session.</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How labels of sessions cut off by the end of the log are treated.</summary>
    public CensoringPolicy Censoring { get; set; } = CensoringPolicy.ObservedAsNegative;

    /// <summary>Trainer settings (epochs, batch, learning rate, early stopping, class weights).</summary>
    public TrainerOptions Trainer { get; set; } = new();

    /// <summary>Feature pipeline settings (k range for the clusters).</summary>
    public FeaturePipelineOptions Features { get; set; } = new();

    /// <summary>Cores to use.</summary>
    public int DegreeOfParallelism { get; set; } = 2;

    /// <summary>
    /// The most sessions used for training and evaluation; when the log has more, whole sessions are sampled by
    /// <see cref="Sessions.SessionSampler"/> (a stable hash, independent of the seed) before splitting, and the report
    /// says how many were kept out of how many. Null uses every session. Default <see cref="DefaultMaxSessions"/>.
    /// </summary>
    public int? MaxSessions { get; set; } = DefaultMaxSessions;

    /// <summary>Bootstrap resamples for the headline confidence interval and the paired comparisons.</summary>
    public int BootstrapIterations { get; set; } = 1000;

    /// <summary>
    /// Peers trained on flat prefix rows besides the built-in baselines (logistic regression, the rules, the majority
    /// class), e.g. gradient-boosted trees; each is trained and measured for both heads on every split. Empty by default.
    /// </summary>
    public IReadOnlyList<IPrefixClassifierTrainer> Peers { get; set; } = [];

    /// <summary>Also measure the sum of the attention-LSTM's and each peer's calibrated log-odds, recalibrated (an
    /// ensemble that only the training report can run: serving it would need the peer in the engine).</summary>
    public bool EnsembleWithPeers { get; set; }

    /// <summary>Checks the options and throws with a message naming the bad value.</summary>
    public void Validate()
    {
        if (HiddenSize is < 1 or > 1024) throw new ArgumentOutOfRangeException(nameof(HiddenSize), $"Hidden size must be in 1..1024; got {HiddenSize}.");
        if (AttentionSize is < 1 or > 1024) throw new ArgumentOutOfRangeException(nameof(AttentionSize), $"Attention size must be in 1..1024; got {AttentionSize}.");
        if (Repeats is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(Repeats), $"Repeats must be in 1..100; got {Repeats}.");
        if (SessionTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(SessionTimeout), $"Session timeout must be positive; got {SessionTimeout}.");
        if (MaxSessions is < 1) throw new ArgumentOutOfRangeException(nameof(MaxSessions), $"The session bound must be at least 1 (or null for every session); got {MaxSessions}.");
        if (DegreeOfParallelism < 1) throw new ArgumentOutOfRangeException(nameof(DegreeOfParallelism), $"Degree of parallelism must be at least 1; got {DegreeOfParallelism}.");
        if (BootstrapIterations < 1) throw new ArgumentOutOfRangeException(nameof(BootstrapIterations), $"Bootstrap iterations must be at least 1; got {BootstrapIterations}.");
        ArgumentNullException.ThrowIfNull(Peers);
        var names = new HashSet<string>(ExperimentRunner.ModelNames, StringComparer.Ordinal);
        foreach (var peer in Peers)
        {
            if (peer is null) throw new ArgumentException("Peers holds a null entry.", nameof(Peers));
            if (string.IsNullOrWhiteSpace(peer.Name) || !names.Add(peer.Name))
                throw new ArgumentException($"Peer name '{peer.Name}' is empty or already taken; model names must be unique ({string.Join(", ", names)}).", nameof(Peers));
        }
    }
}
