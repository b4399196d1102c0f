using MicroMoment.Silo.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace MicroMoment.Silo.Tests.Storage;

public class SqliteGrainStorageClusterTests
{
    [Fact]
    public async Task GrainStateSurvivesDeactivationAndSiloRestart()
    {
        using var dir = new TempDirectory();
        var saved = StorageHarness.Checkpoint(7, "round-trip");
        string? etag;
        await using (var cluster = await StartAsync(dir.Path))
        {
            var storage = cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>("store");
            Assert.IsType<SqliteGrainStorage>(storage);

            var grain = cluster.Client.GetGrain<ICheckpointGrain>("shopper-1");
            var (empty, existed, noEtag) = await grain.LoadAsync();
            Assert.False(existed);
            Assert.Null(noEtag);
            Assert.Equal("", empty.Marker);

            await grain.SaveAsync(saved);
            Guid firstActivation = await grain.ActivationAsync();
            await cluster.DeactivateAsync(grain);
            Assert.NotEqual(firstActivation, await grain.ActivationAsync());

            var (state, exists, readEtag) = await grain.LoadAsync();
            AssertSame(saved, state);
            Assert.True(exists);
            Assert.NotNull(readEtag);
            etag = readEtag;
        }

        await using (var restarted = await StartAsync(dir.Path))
        {
            var grain = restarted.Client.GetGrain<ICheckpointGrain>("shopper-1");
            var (state, exists, readEtag) = await grain.LoadAsync();
            AssertSame(saved, state);
            Assert.True(exists);
            Assert.Equal(etag, readEtag);

            await grain.ClearAsync();
        }

        await using (var again = await StartAsync(dir.Path))
        {
            var (state, exists, readEtag) = await again.Client.GetGrain<ICheckpointGrain>("shopper-1").LoadAsync();
            Assert.False(exists);
            Assert.Null(readEtag);
            Assert.Equal("", state.Marker);
        }

        // The silo's default serializer (Orleans JSON) wrote the row, under the grain's type, key and state name.
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dir.Path, "grains.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM grain_state;";
        Assert.Equal(0L, command.ExecuteScalar());
    }

    [Fact]
    public async Task RowIsKeyedByGrainTypeKeyAndStateNameWithTheSerializerFormat()
    {
        using var dir = new TempDirectory();
        await using (var cluster = await StartAsync(dir.Path))
        {
            await cluster.Client.GetGrain<ICheckpointGrain>("shopper-2").SaveAsync(StorageHarness.Checkpoint(2, "keyed"));
        }

        using var connection = new SqliteConnection($"Data Source={Path.Combine(dir.Path, "grains.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT grain_type, grain_key, state_name, format, version FROM grain_state;";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal("checkpoint", reader.GetString(0));
        Assert.Equal("shopper-2", reader.GetString(1));
        Assert.Equal("checkpoint", reader.GetString(2));
        Assert.Equal(SqliteStateFormat.OrleansJson, reader.GetInt32(3));
        Assert.False(reader.Read());
    }

    [Fact]
    public async Task AsDefaultServesGrainsThatNameNoStorage()
    {
        using var dir = new TempDirectory();
        await using (var cluster = await StartAsync(dir.Path, silo => silo.AddSqliteGrainStorageAsDefault(o =>
        {
            o.DataDirectory = dir.Path;
            o.FileName = "default.db";
        })))
        {
            var services = cluster.GetSiloServiceProvider();
            Assert.IsType<SqliteGrainStorage>(services.GetRequiredService<IGrainStorage>());
            Assert.Same(services.GetRequiredService<IGrainStorage>(), services.GetRequiredKeyedService<IGrainStorage>("Default"));
            Assert.NotSame(services.GetRequiredService<IGrainStorage>(), services.GetRequiredKeyedService<IGrainStorage>("store"));
            await cluster.Client.GetGrain<IDefaultStoreGrain>("d1").SaveAsync(StorageHarness.Checkpoint(1));
        }

        Assert.Equal(1, SqliteGrainStorageTests.CountRows(Path.Combine(dir.Path, "default.db")));
        Assert.Equal(0, SqliteGrainStorageTests.CountRows(Path.Combine(dir.Path, "grains.db")));
    }

    [Fact]
    public async Task SiloDoesNotStartOnADamagedFileAndSaysWhichFile()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "grains.db");
        File.WriteAllBytes(path, []);
        var cluster = new InProcessTestClusterBuilder(1)
            .ConfigureSilo((_, silo) => silo.AddSqliteGrainStorage("store", o => o.DataDirectory = dir.Path))
            .Build();
        try
        {
            var ex = await Record.ExceptionAsync(cluster.DeployAsync);
            Assert.NotNull(ex);
            var refusal = Flatten(ex).OfType<SqliteGrainStorageException>().FirstOrDefault();
            Assert.True(refusal is not null, $"expected the storage's refusal, got {ex}");
            Assert.Contains($"'{path}'", refusal.Message);
            Assert.Equal(0, new FileInfo(path).Length);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    private static async Task<InProcessTestCluster> StartAsync(string directory, Action<ISiloBuilder>? configure = null)
    {
        var cluster = new InProcessTestClusterBuilder(1)
            .ConfigureSilo((_, silo) =>
            {
                silo.AddSqliteGrainStorage("store", o => o.DataDirectory = directory);
                configure?.Invoke(silo);
            })
            .Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private static void AssertSame(ShopperCheckpoint expected, ShopperCheckpoint actual)
    {
        Assert.Equal(expected.Marker, actual.Marker);
        Assert.Equal(expected.Events, actual.Events);
        Assert.Equal(expected.Payload, actual.Payload);
        Assert.Equal(expected.Products, actual.Products);
    }

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        yield return exception;
        if (exception is AggregateException aggregate)
        {
            foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten))
            {
                yield return inner;
            }
        }
        else if (exception.InnerException is { } inner)
        {
            foreach (var nested in Flatten(inner))
            {
                yield return nested;
            }
        }
    }
}
