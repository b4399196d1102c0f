using MicroMoment.Gateway;
using MicroMoment.Silo;

namespace MicroMoment.Cli.Commands;

/// <summary>A running <c>serve</c>: the gateway and the silo behind it; disposing stops the gateway, then flushes and stops the silo.</summary>
/// <param name="Gateway">The gateway.</param>
/// <param name="Silo">The silo.</param>
internal sealed record ServeSession(GatewayHost Gateway, EmbeddedSilo Silo) : IAsyncDisposable
{
    /// <summary>Stops the gateway, then the silo (which flushes its state).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Gateway.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            await Silo.DisposeAsync().ConfigureAwait(false);
        }
    }
}
