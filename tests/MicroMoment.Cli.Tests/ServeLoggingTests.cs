using MicroMoment.Cli.Commands;
using Microsoft.Extensions.Logging;

namespace MicroMoment.Cli.Tests;

/// <summary>serve's console log: MicroMoment's messages from Information, Orleans' and ASP.NET Core's from Warning and only once the silo runs.</summary>
public class ServeLoggingTests
{
    [Fact]
    public void TheSilosConsoleLogKeepsItsLevelsBeforeAndAfterTheSiloStarted()
    {
        bool started = false;
        using var factory = LoggerFactory.Create(logging => ServeCommand.ConfigureSiloLogging(logging, color: false, () => started));
        var orleans = factory.CreateLogger("Orleans.Runtime.Messaging.MessageCenter");
        var ours = factory.CreateLogger("MicroMoment.Silo.Grains");

        Assert.False(orleans.IsEnabled(LogLevel.Warning));
        Assert.True(ours.IsEnabled(LogLevel.Information));
        Assert.False(ours.IsEnabled(LogLevel.Debug));

        started = true;
        // Once the silo runs, Orleans' warnings show, its debug and trace messages never do.
        Assert.True(orleans.IsEnabled(LogLevel.Warning));
        Assert.False(orleans.IsEnabled(LogLevel.Information));
        Assert.False(orleans.IsEnabled(LogLevel.Debug));
        Assert.False(orleans.IsEnabled(LogLevel.Trace));
        Assert.True(ours.IsEnabled(LogLevel.Information));
        Assert.False(ours.IsEnabled(LogLevel.Trace));
    }
}
