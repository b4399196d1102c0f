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

    /// <summary>An id beyond the grain's de-duplication memory on an event older than the newest it applied: taken as a re-delivery.</summary>
    Late,
}
