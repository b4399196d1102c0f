using MicroMoment.Client;
using MicroMoment.Client.Orleans;
using MicroMoment.Silo;
using Microsoft.Extensions.Hosting;
using Orleans.Hosting;

namespace MicroMoment.Gateway.Tests.OrleansMode;

/// <summary>
/// A live silo with its Orleans client gateway on a real loopback port, the HTTP gateway in front of the same silo (tenant
/// <see cref="TestGateway.Tenant"/>), an Orleans-mode client connected over that port, and an HTTP client with the server key.
/// </summary>
public sealed class OrleansModeFixture : IAsyncLifetime
{
    private TestGateway _gateway = null!;

    /// <summary>
    /// The trigger fires on the first scored event of every session (buy threshold near zero; the exit popup off), so tests
    /// can count on an offer; one offer per session.
    /// </summary>
    public static SiloOptions AlwaysOfferOptions => new() { Trigger = new TriggerPolicyOptions { BuyThreshold = 1e-6f, ExitThreshold = 1f } };

    /// <summary>The silo.</summary>
    public EmbeddedSilo Silo { get; private set; } = null!;

    /// <summary>The port of the silo's Orleans client gateway.</summary>
    public int OrleansPort { get; private set; }

    /// <summary>The HTTP gateway's address.</summary>
    public Uri HttpAddress => _gateway.Host.BaseAddress;

    /// <summary>The Orleans-mode client (tenant <see cref="TestGateway.Tenant"/>), connected over <see cref="OrleansPort"/>.</summary>
    public MicroMomentOrleansClient OrleansClient { get; private set; } = null!;

    /// <summary>The HTTP client with the tenant's server key.</summary>
    public MicroMomentClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        OrleansPort = LoopbackPort.Free();
        Silo = await EmbeddedSilo.StartAsync(BundledModel.Model, AlwaysOfferOptions, gatewayPort: OrleansPort);
        _gateway = await TestGateway.StartAsync(Silo);
        OrleansClient = await MicroMomentOrleansClient.ConnectAsync(OrleansPort, new MicroMomentOrleansOptions { Tenant = TestGateway.Tenant });
        Http = new MicroMomentClient(HttpAddress, TestGateway.ServerKey);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await OrleansClient.DisposeAsync();
        await _gateway.DisposeAsync();
    }

    /// <summary>A started host whose only service is Orleans' client, connected to the gateway on <paramref name="port"/> with <c>UseMicroMomentGateway</c>.</summary>
    public static async Task<IHost> StartOrleansClientHostAsync(int port)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client => client.UseMicroMomentGateway(port));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
