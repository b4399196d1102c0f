namespace MicroMoment.Silo.Grains;

/// <summary>Whether a user grain will score an event.</summary>
internal enum EventAdmission : byte
{
    /// <summary>Score it.</summary>
    Proceed,

    /// <summary>Its id was applied before.</summary>
    Duplicate,

    /// <summary>The shopper opted out of tracking.</summary>
    OptedOut,
}
