namespace MicroMoment.Cli.Tests; public class CliSmokeTests { [Fact] public async Task HelpExitsZero() { Assert.Equal(0, await MicroMoment.Cli.CliApp.RunAsync(["--help"])); } }
