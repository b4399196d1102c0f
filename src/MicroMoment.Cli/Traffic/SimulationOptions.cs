namespace MicroMoment.Cli.Traffic;

/// <summary>How to drive synthetic traffic through a gateway's WebSocket stream.</summary>
internal sealed record SimulationOptions
{
    /// <summary>The gateway.</summary>
    public required Uri Target { get; init; }

    /// <summary>A server key (one connection speaks for many shoppers).</summary>
    public required string Key { get; init; }

    /// <summary>Synthetic shoppers.</summary>
    public int Users { get; init; } = 10_000;

    /// <summary>Events per second to send, steadily.</summary>
    public double Rate { get; init; } = 1_000;

    /// <summary>How long to send.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>WebSocket connections; each shopper always uses the same one.</summary>
    public int Connections { get; init; } = 8;

    /// <summary>Seed of the synthetic traffic.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Throws naming the first setting out of range.</summary>
    public void Validate()
    {
        if (Users < 1) throw new ArgumentOutOfRangeException(nameof(Users), Users, $"--users must be at least 1; got {Users}.");
        if (!double.IsFinite(Rate) || Rate <= 0) throw new ArgumentOutOfRangeException(nameof(Rate), Rate, $"--rate must be a positive number of events per second; got {Rate}.");
        if (Duration <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Duration), Duration, $"--duration must be positive; got {Duration.TotalSeconds} s.");
        if (Connections < 1) throw new ArgumentOutOfRangeException(nameof(Connections), Connections, $"--connections must be at least 1; got {Connections}.");
    }
}
