namespace MicroMoment.Gateway.Tests.Durability;

/// <summary>Tests that run <c>micromoment serve</c> as child processes: one at a time, so their timings are not squeezed by each other.</summary>
[CollectionDefinition(Name)]
public sealed class ServeProcessCollection
{
    public const string Name = "serve processes";
}
