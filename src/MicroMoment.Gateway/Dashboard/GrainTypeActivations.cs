namespace MicroMoment.Gateway.Dashboard;

/// <summary>Activations of one grain class on one silo.</summary>
/// <param name="Silo">The silo's parsable address.</param>
/// <param name="GrainClass">The grain class's full name (e.g. MicroMoment.Silo.Grains.UserGrain).</param>
/// <param name="Activations">Its activations there now.</param>
public sealed record GrainTypeActivations(string Silo, string GrainClass, int Activations);
