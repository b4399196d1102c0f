namespace MicroMoment.Benchmarks;

/// <summary>The grain state the storage probe writes: opaque bytes standing in for a shopper's checkpoint.</summary>
[GenerateSerializer]
public sealed class StorageProbeState
{
    /// <summary>The state's bytes.</summary>
    [Id(0)]
    public byte[] Payload { get; set; } = [];
}
