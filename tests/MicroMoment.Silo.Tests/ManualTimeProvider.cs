namespace MicroMoment.Silo.Tests;

/// <summary>A clock that moves only when told to (timers are not needed: the silo polls its clock).</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    /// <summary>A clock at 2019-10-01 12:00 UTC.</summary>
    public ManualTimeProvider() : this(new DateTimeOffset(2019, 10, 1, 12, 0, 0, TimeSpan.Zero))
    {
    }

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    /// <summary>Moves the clock forward.</summary>
    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
