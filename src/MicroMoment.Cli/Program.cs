using MicroMoment.Cli;

return await CliApp.RunAsync(args);
