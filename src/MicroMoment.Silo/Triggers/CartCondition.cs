namespace MicroMoment.Silo.Triggers;

/// <summary>Whether a rule needs a cart in the session.</summary>
public enum CartCondition : byte
{
    /// <summary>Cart or not.</summary>
    Any,

    /// <summary>Only when the session has a cart.</summary>
    Required,

    /// <summary>Only when the session has no cart.</summary>
    Absent,
}
