namespace MicroMoment.Silo.Tests.Storage;

/// <summary>A grain state for the storage tests: serializable by Orleans' code generator and by its JSON serializer.</summary>
[GenerateSerializer]
public sealed class ShopperCheckpoint
{
    /// <summary>A text the tests look for (and, after an erasure, must not find) in the files.</summary>
    [Id(0)]
    public string Marker { get; set; } = "";

    /// <summary>A counter the tests change between writes.</summary>
    [Id(1)]
    public int Events { get; set; }

    /// <summary>Opaque bytes standing in for a model state (about 2.7 KB in the benchmarks).</summary>
    [Id(2)]
    public byte[] Payload { get; set; } = [];

    /// <summary>A nested collection, so the round trip covers more than scalars.</summary>
    [Id(3)]
    public List<string> Products { get; set; } = [];
}
