namespace MicroMoment.Model;

/// <summary>What a minibatch size counts.</summary>
public enum BatchUnit
{
    /// <summary>Prefix examples (events); a batch takes whole sessions until it holds at least the batch size.</summary>
    Prefixes,

    /// <summary>Whole sequences (sessions).</summary>
    Sequences,
}
