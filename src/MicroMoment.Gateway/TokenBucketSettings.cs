namespace MicroMoment.Gateway;

/// <summary>A token bucket: <see cref="PerSecond"/> tokens are added each second, up to <see cref="Burst"/>.</summary>
public sealed class TokenBucketSettings
{
    /// <summary>Sustained rate (tokens per second).</summary>
    public int PerSecond { get; set; }

    /// <summary>Bucket size: how many may be spent at once after a quiet period.</summary>
    public int Burst { get; set; }

    /// <summary>Throws naming the setting when the rate or the burst is not positive.</summary>
    public void Validate(string name)
    {
        if (PerSecond < 1)
            throw new ArgumentOutOfRangeException(name, PerSecond, $"{name}.PerSecond must be at least 1; got {PerSecond}.");
        if (Burst < 1)
            throw new ArgumentOutOfRangeException(name, Burst, $"{name}.Burst must be at least 1; got {Burst}.");
    }
}
