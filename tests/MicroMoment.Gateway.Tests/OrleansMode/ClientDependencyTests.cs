using MicroMoment.Client;

namespace MicroMoment.Gateway.Tests.OrleansMode;

/// <summary>The HTTP client stays a small package: the Orleans mode is a package of its own.</summary>
public sealed class ClientDependencyTests
{
    [Fact]
    public void TheHttpClientReferencesNeitherOrleansNorTheEngine()
    {
        var references = typeof(MicroMomentClient).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();

        Assert.DoesNotContain(references, name => name.StartsWith("Orleans", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Microsoft.Orleans", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(references, name => name.StartsWith("MicroMoment.", StringComparison.Ordinal));
    }
}
