using MicroMoment.Cli.Cluster;
using YamlDotNet.RepresentationModel;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>docker-compose.yml and deploy/kubernetes set only environment variables the program reads.</summary>
public sealed class DeploymentFilesTests
{
    [Fact]
    public void EveryVariableTheComposeFileSetsIsReadByTheProgram() =>
        AssertAllRead(Variables(Path.Combine(RepositoryPaths.Root, "docker-compose.yml")), minimum: 6);

    [Fact]
    public void EveryVariableTheKubernetesManifestsSetIsReadByTheProgram()
    {
        var files = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "deploy", "kubernetes"), "*.yaml");
        Assert.NotEmpty(files);
        AssertAllRead(files.SelectMany(Variables).ToList(), minimum: 10);
    }

    [Fact]
    public void AVariableWithAMistypedKeyIsCaught()
    {
        Assert.True(ClusterConfiguration.IsKnownKey(ClusterConfiguration.KeyOfVariable("MICROMOMENT__Cluster__ClusterId")!));
        Assert.True(ClusterConfiguration.IsKnownKey(ClusterConfiguration.KeyOfVariable("MICROMOMENT__Cluster__Membership__ProbeTimeout")!));
        Assert.True(ClusterConfiguration.IsKnownKey(ClusterConfiguration.KeyOfVariable("MICROMOMENT__Gateway__Keys__3__Key")!));
        Assert.False(ClusterConfiguration.IsKnownKey(ClusterConfiguration.KeyOfVariable("MICROMOMENT__Cluster__ClusterID2")!));
        Assert.False(ClusterConfiguration.IsKnownKey(ClusterConfiguration.KeyOfVariable("MICROMOMENT__Storage__ConectionString")!));
    }

    private static void AssertAllRead(IReadOnlyCollection<string> variables, int minimum)
    {
        Assert.True(variables.Count >= minimum, $"Found only {variables.Count} environment variables ({string.Join(", ", variables)}); the parser missed some.");
        var unread = variables.Where(v => ClusterConfiguration.KeyOfVariable(v) is { } key ? !ClusterConfiguration.IsKnownKey(key) : !ClusterConfiguration.DirectVariables.Contains(v)).ToList();
        Assert.True(unread.Count == 0, $"Set but never read by the program: {string.Join(", ", unread)}");
    }

    /// <summary>Names of the environment variables a compose file or Kubernetes manifest sets (compose "environment" maps with their merges, "env" lists, ConfigMap data).</summary>
    private static List<string> Variables(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path)) stream.Load(reader);
        var names = new List<string>();
        foreach (var document in stream.Documents) Walk(document.RootNode, names, configMap: IsConfigMap(document.RootNode));
        return names;
    }

    private static bool IsConfigMap(YamlNode node) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode("kind"), out var kind) && kind is YamlScalarNode { Value: "ConfigMap" };

    private static void Walk(YamlNode node, List<string> names, bool configMap)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    string name = ((YamlScalarNode)key).Value ?? "";
                    if (name == "environment" && value is YamlMappingNode environment) EnvironmentMap(environment, names);
                    else if (name == "env" && value is YamlSequenceNode list) names.AddRange(list.Children.OfType<YamlMappingNode>().Select(e => ((YamlScalarNode)e.Children[new YamlScalarNode("name")]).Value!));
                    else if (name == "data" && configMap && value is YamlMappingNode data) names.AddRange(data.Children.Keys.Select(k => ((YamlScalarNode)k).Value!));
                    else Walk(value, names, configMap);
                }

                break;
            case YamlSequenceNode sequence:
                foreach (var child in sequence.Children) Walk(child, names, configMap);
                break;
        }
    }

    private static void EnvironmentMap(YamlMappingNode environment, List<string> names)
    {
        foreach (var (key, value) in environment.Children)
        {
            string name = ((YamlScalarNode)key).Value ?? "";
            if (name == "<<" && value is YamlMappingNode merged) EnvironmentMap(merged, names);
            else names.Add(name);
        }
    }
}
