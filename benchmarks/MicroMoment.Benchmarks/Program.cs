using BenchmarkDotNet.Running;
using MicroMoment.Benchmarks;

if (args.Length > 0 && args[0] == "probe")
{
    // Quick Stopwatch measurements (seconds, not minutes) for development; BenchmarkDotNet gives the reported numbers.
    Probe.Run(args.Skip(1).ToArray());
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
