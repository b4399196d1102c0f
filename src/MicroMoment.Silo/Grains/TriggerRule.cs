namespace MicroMoment.Silo.Grains;

/// <summary>The rule of the simple policy that fired an offer.</summary>
internal enum TriggerRule : byte
{
    /// <summary>The buy score reached the cluster's buy threshold.</summary>
    Buy,

    /// <summary>The exit score reached the exit threshold.</summary>
    Exit,
}
