namespace MicroMoment.Grains;

/// <summary>
/// The Orleans identity of a single-process MicroMoment silo (what <c>micromoment serve</c> runs) and the usual port of
/// its client gateway: what an Orleans client names to connect to it.
/// </summary>
public static class MicroMomentCluster
{
    /// <summary>The Orleans service id of a single-process silo.</summary>
    public const string ServiceId = "micromoment";

    /// <summary>The Orleans cluster id of a single-process silo.</summary>
    public const string ClusterId = "micromoment-local";

    /// <summary>The port of the Orleans client gateway unless <c>serve --orleans-port</c> names another (Orleans' usual one).</summary>
    public const int DefaultGatewayPort = 30000;
}
