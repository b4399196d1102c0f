namespace MicroMoment.Training;

/// <summary>How sessions are divided into training, validation and test sets.</summary>
public enum SplitKind
{
    /// <summary>Earlier sessions train, later sessions test (the headline protocol).</summary>
    Time,

    /// <summary>The paper's protocol: stratified random 80/20 by session, stratified on purchase.</summary>
    StratifiedRandom,
}
