using MicroMoment.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace MicroMoment.Silo.Tests.Storage;

/// <summary>Builds <see cref="SqliteGrainStorage"/> instances outside a silo, with Orleans' binary serializer.</summary>
public static class StorageHarness
{
    private static readonly ServiceProvider Services = new ServiceCollection()
        .AddSerializer(serializer => serializer.AddAssembly(typeof(ShopperCheckpoint).Assembly))
        .BuildServiceProvider();

    /// <summary>The Orleans binary grain storage serializer.</summary>
    public static IGrainStorageSerializer Serializer { get; } = new OrleansGrainStorageSerializer(Services.GetRequiredService<Serializer>());

    /// <summary>A storage (not yet open) on <paramref name="directory"/>.</summary>
    public static SqliteGrainStorage Create(string directory, Action<SqliteGrainStorageOptions>? configure = null, string name = "store")
    {
        var options = new SqliteGrainStorageOptions { DataDirectory = directory, GrainStorageSerializer = Serializer };
        configure?.Invoke(options);
        return new SqliteGrainStorage(name, options, Services.GetRequiredService<IActivatorProvider>(), NullLogger<SqliteGrainStorage>.Instance);
    }

    /// <summary>An open storage on <paramref name="directory"/>.</summary>
    public static SqliteGrainStorage Open(string directory, Action<SqliteGrainStorageOptions>? configure = null, string name = "store")
    {
        var storage = Create(directory, configure, name);
        storage.Open();
        return storage;
    }

    /// <summary>The id of shopper grain <paramref name="key"/>.</summary>
    public static GrainId Shopper(string key) => GrainId.Create("shopper", key);

    /// <summary>A checkpoint with <paramref name="payloadBytes"/> bytes of payload derived from <paramref name="seed"/>.</summary>
    public static ShopperCheckpoint Checkpoint(int seed, string marker = "", int payloadBytes = 2_600)
    {
        var payload = new byte[payloadBytes];
        new Random(seed).NextBytes(payload);
        return new ShopperCheckpoint { Marker = marker, Events = seed, Payload = payload, Products = [$"p{seed}", $"p{seed + 1}"] };
    }

    /// <summary>An empty grain state holder.</summary>
    public static GrainState<ShopperCheckpoint> NewState(ShopperCheckpoint? state = null, string? etag = null) => new(state ?? new ShopperCheckpoint(), etag);
}
