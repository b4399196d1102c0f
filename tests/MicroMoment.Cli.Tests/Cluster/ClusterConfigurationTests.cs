using MicroMoment.Cli.Cluster;
using Microsoft.Extensions.Configuration;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>Configuration of silo and gateway: sources in ASP.NET Core's order, and settings refused with a message that names them.</summary>
public sealed class ClusterConfigurationTests
{
    [Fact]
    public void AppsettingsThenPrefixedEnvironmentThenCommandLineEachOverrideTheOneBefore()
    {
        var folder = Directory.CreateTempSubdirectory("mm-config-").FullName;
        File.WriteAllText(Path.Combine(folder, "appsettings.json"), """{ "Cluster": { "ClusterId": "from-file", "ServiceId": "svc-file", "SiloPort": 2000 }, "Test": { "Marker": "file" } }""");
        Environment.SetEnvironmentVariable("MICROMOMENT__Test__Marker", "environment");
        try
        {
            var configuration = ClusterConfiguration.Build(["--Cluster:ClusterId=from-args", "--Cluster:GatewayPort", "31000"], folder);
            var cluster = ClusterConfiguration.Cluster(configuration);
            Assert.Equal("from-args", cluster.ClusterId);
            Assert.Equal("svc-file", cluster.ServiceId);
            Assert.Equal(2000, cluster.SiloPort);
            Assert.Equal(31000, cluster.GatewayPort);
            Assert.Equal("environment", configuration["Test:Marker"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MICROMOMENT__Test__Marker", null);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("Cluster:Provider=zookeeper", "Cluster:Provider is 'zookeeper'; expected one of localhost, azure, redis")]
    [InlineData("Cluster:Provider=azure", "Cluster:ConnectionString is empty")]
    [InlineData("Cluster:Provider=redis", "Cluster:Provider is redis but Cluster:ConnectionString is empty; expected a StackExchange.Redis configuration string")]
    [InlineData("Cluster:SiloPort=70000", "Cluster:SiloPort is 70000; expected a TCP port")]
    [InlineData("Cluster:SiloPort=abc", "Cluster configuration has a value of the wrong type")]
    [InlineData("Cluster:PrimarySilo=127.0.0.1", "Cluster:PrimarySilo is '127.0.0.1'; expected host:port")]
    public void ABadClusterSettingIsRefusedByName(string setting, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([Pair(setting)]).Build();
        var error = Assert.Throws<ArgumentException>(() => ClusterConfiguration.Cluster(configuration));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SqliteStateWithAClusterWideMembershipIsRefused()
    {
        var cluster = new ClusterSettings { Provider = "azure", ConnectionString = "UseDevelopmentStorage=true" };
        cluster.Validate();
        var error = Assert.Throws<ArgumentException>(() => new StorageSettings { Provider = "sqlite" }.Validate(cluster));
        Assert.Contains("expected Storage:Provider azure or redis", error.Message, StringComparison.Ordinal);
        new StorageSettings { Provider = "azure" }.Validate(cluster);
        Assert.Throws<ArgumentException>(() => new StorageSettings { Provider = "azure" }.Validate(new ClusterSettings()));
    }

    [Theory]
    [InlineData("UseDevelopmentStorage=true", "Cluster:ConnectionString is not a Redis configuration string (Keyword 'UseDevelopmentStorage' is not supported")]
    [InlineData("127.0.0.1:6379,abortConnect=maybe", "Cluster:ConnectionString is not a Redis configuration string")]
    [InlineData("password=secret", "Cluster:ConnectionString names no Redis endpoint; expected a StackExchange.Redis configuration string")]
    public void ARedisMembershipConnectionStringThatIsNotOneIsRefusedByName(string connection, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([Pair("Cluster:Provider=redis"), KeyValuePair.Create("Cluster:ConnectionString", (string?)connection)]).Build();
        var error = Assert.Throws<ArgumentException>(() => ClusterConfiguration.Cluster(configuration));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RedisMembershipTakesAConfigurationStringAndSpansMachines()
    {
        var cluster = new ClusterSettings { Provider = " Redis ", ConnectionString = "127.0.0.1:6379,127.0.0.1:6380,defaultDatabase=2" };
        cluster.Validate();
        Assert.True(cluster.SpansMachines);
        Assert.False(new ClusterSettings().SpansMachines);
        var options = RedisConnection.Options(cluster.ConnectionString, "Cluster:ConnectionString");
        Assert.Equal(2, options.EndPoints.Count);
        Assert.Equal(2, options.DefaultDatabase);
    }

    [Fact]
    public void SqliteStateWithRedisMembershipIsRefusedAndRedisOrMemoryStateIsTaken()
    {
        var cluster = new ClusterSettings { Provider = "redis", ConnectionString = "127.0.0.1:6379" };
        var error = Assert.Throws<ArgumentException>(() => new StorageSettings { Provider = "sqlite" }.Validate(cluster));
        Assert.Contains("Storage:Provider is sqlite with Cluster:Provider redis", error.Message, StringComparison.Ordinal);
        Assert.Contains("expected Storage:Provider redis or azure", error.Message, StringComparison.Ordinal);

        var redis = new StorageSettings { Provider = "redis" };
        redis.Validate(cluster);
        Assert.Equal("127.0.0.1:6379", redis.EffectiveConnectionString(cluster));
        var own = new StorageSettings { Provider = "redis", ConnectionString = "127.0.0.1:6390" };
        own.Validate(cluster);
        Assert.Equal("127.0.0.1:6390", own.EffectiveConnectionString(cluster));
        new StorageSettings { Provider = "memory" }.Validate(cluster);
        // Redis state on the one-machine development membership: the state is shared all the same.
        new StorageSettings { Provider = "redis", ConnectionString = "127.0.0.1:6379" }.Validate(new ClusterSettings());
    }

    [Theory]
    [InlineData("azure", "redis", null, "Storage:Provider is redis but Storage:ConnectionString is not set, and Cluster:ConnectionString is the azure membership's (not a redis one)")]
    [InlineData("redis", "azure", null, "Storage:Provider is azure but Storage:ConnectionString is not set, and Cluster:ConnectionString is the redis membership's (not a azure one)")]
    [InlineData("localhost", "redis", null, "Storage:Provider is redis but neither Storage:ConnectionString nor Cluster:ConnectionString is set")]
    [InlineData("redis", "redis", "UseDevelopmentStorage=true", "Storage:ConnectionString is not a Redis configuration string")]
    [InlineData("azure", "redis", "UseDevelopmentStorage=true", "Storage:ConnectionString is not a Redis configuration string")]
    public void AMixOfStoresWithoutAConnectionStringForEachIsRefusedByName(string membership, string state, string? stateConnection, string expected)
    {
        var cluster = new ClusterSettings
        {
            Provider = membership,
            ConnectionString = membership switch { "azure" => "UseDevelopmentStorage=true", "redis" => "127.0.0.1:6379", _ => null },
        };
        cluster.Validate();
        var error = Assert.Throws<ArgumentException>(() => new StorageSettings { Provider = state, ConnectionString = stateConnection }.Validate(cluster));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RedisMembershipWithAzureStateAndTheReverseWorkWithTheirOwnConnectionStrings()
    {
        new StorageSettings { Provider = "azure", ConnectionString = "UseDevelopmentStorage=true" }.Validate(new ClusterSettings { Provider = "redis", ConnectionString = "127.0.0.1:6379" });
        new StorageSettings { Provider = "redis", ConnectionString = "127.0.0.1:6379" }.Validate(new ClusterSettings { Provider = "azure", ConnectionString = "UseDevelopmentStorage=true" });
    }

    [Fact]
    public async Task TheSiloRefusesSqliteStateWithRedisMembershipWithExitCode2()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([Pair("Cluster:Provider=redis"), Pair("Cluster:ConnectionString=127.0.0.1:1"), Pair("Storage:Provider=sqlite")]).Build();
        var console = new RecordingConsole();
        int code = await Commands.SiloCommand.RunAsync(console, configuration, CancellationToken.None);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("error: Storage:Provider is sqlite with Cluster:Provider redis", console.Output.Replace("\n", " ", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheGatewayRefusesARedisMembershipWithoutAConnectionStringWithExitCode2()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([Pair("Cluster:Provider=redis")]).Build();
        var console = new RecordingConsole();
        int code = await Commands.GatewayCommand.RunAsync(console, configuration, CancellationToken.None);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("error: Cluster:Provider is redis but Cluster:ConnectionString is empty", console.Output.Replace("\n", " ", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void DurabilityIsParsedOrRefused()
    {
        Assert.Equal(Silo.Durability.EveryEvent, new SiloProcessSettings { Durability = "every-event" }.ParseDurability());
        Assert.Equal(Silo.Durability.Checkpoint, new SiloProcessSettings().ParseDurability());
        var error = Assert.Throws<ArgumentException>(() => new SiloProcessSettings { Durability = "always" }.ParseDurability());
        Assert.Contains("expected checkpoint or every-event", error.Message, StringComparison.Ordinal);
    }

    private static KeyValuePair<string, string?> Pair(string setting)
    {
        int eq = setting.IndexOf('=', StringComparison.Ordinal);
        return KeyValuePair.Create(setting[..eq], (string?)setting[(eq + 1)..]);
    }
}
