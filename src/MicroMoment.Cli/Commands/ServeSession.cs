using MicroMoment.Gateway;
using MicroMoment.Silo;

namespace MicroMoment.Cli.Commands;

/// <summary>
/// A running <c>serve</c>: the gateway, the silo behind it and the lock on the data directory; disposing stops the
/// gateway, then flushes and stops the silo, then releases the directory.
/// </summary>
/// <param name="Gateway">The gateway.</param>
/// <param name="Silo">The silo.</param>
/// <param name="DirectoryLock">The data directory's lock, held until the silo stopped.</param>
internal sealed record ServeSession(GatewayHost Gateway, EmbeddedSilo Silo, DataDirectoryLock DirectoryLock) : IAsyncDisposable
{
    /// <summary>Stops the gateway, then the silo (which flushes its state), then releases the data directory.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Gateway.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            try
            {
                await Silo.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                DirectoryLock.Dispose();
            }
        }
    }
}
