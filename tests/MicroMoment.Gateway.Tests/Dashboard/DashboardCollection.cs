namespace MicroMoment.Gateway.Tests.Dashboard;

/// <summary>The dashboard tests share one gateway, one fed silo and one browser.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}
