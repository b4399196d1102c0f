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
    [InlineData("Cluster:Provider=zookeeper", "Cluster:Provider is 'zookeeper'; expected one of localhost, azure")]
    [InlineData("Cluster:Provider=azure", "Cluster:ConnectionString is empty")]
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
        Assert.Contains("expected Storage:Provider azure", error.Message, StringComparison.Ordinal);
        new StorageSettings { Provider = "azure" }.Validate(cluster);
        Assert.Throws<ArgumentException>(() => new StorageSettings { Provider = "azure" }.Validate(new ClusterSettings()));
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
