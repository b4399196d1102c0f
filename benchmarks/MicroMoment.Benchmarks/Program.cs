using BenchmarkDotNet.Running;
using MicroMoment.Benchmarks;

if (args.Length > 0 && args[0] == "silo-probe")
{
    // Embedded silo throughput (events/s) and memory per user grain with the bundled model.
    SiloProbe.Run(args.Skip(1).ToArray());
    return 0;
}

if (args.Length > 0 && args[0] == "cluster-probe")
{
    // A real cluster's throughput: Azurite, N silo processes and a gateway, REES46 through the .NET client; CPU per event from /proc (docs/cluster.md).
    return ClusterProbe.Run(args.Skip(1).ToArray());
}

if (args.Length > 0 && args[0] == "metrics-probe")
{
    // What metrics cost: events/s and CPU per event with OpenTelemetry collecting or not; /metrics scrape time and size (docs/metrics.md).
    MetricsProbe.Run(args.Skip(1).ToArray());
    return 0;
}

if (args.Length > 0 && args[0] == "storage-probe")
{
    // Grain state storage: group commit vs one transaction per write vs Orleans' ADO.NET provider (docs/storage.md).
    StorageProbe.Run(args.Skip(1).ToArray());
    return 0;
}

if (args.Length > 0 && args[0] == "probe")
{
    // Quick Stopwatch measurements (seconds, not minutes) for development; BenchmarkDotNet gives the reported numbers.
    Probe.Run(args.Skip(1).ToArray());
    return 0;
}

if (args.Length > 0 && args[0] == "fullmonth-gen")
{
    // A SYNTHETIC REES46-format month (shape only) for the full-month memory and time measurements in docs/full-month.md.
    FullMonthGenerator.Run(args.Skip(1).ToArray());
    return 0;
}

if (args.Length > 0 && args[0] is "onnx-reference" or "onnx-check" or "onnx-sweep" or "onnx-peer")
{
    // ONNX export checks and quick Stopwatch measurements of the executor backends (used by benchmarks/gpu/run.sh).
    return OnnxProbe.Run(args[0], args.Skip(1).ToArray());
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
