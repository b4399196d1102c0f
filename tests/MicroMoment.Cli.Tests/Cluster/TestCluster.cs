using System.Net;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>
/// Silo and gateway processes of one test cluster on loopback, all started with the same environment (cluster id,
/// membership and storage provider, durability); each silo gets its own free ports. Disposing kills what still runs.
/// Backend-agnostic: the caller's environment says which membership and storage the processes use.
/// </summary>
internal sealed class TestCluster : IDisposable
{
    private readonly List<ClusterProcess> _processes = [];
    private readonly Dictionary<string, string> _environment;

    /// <param name="environment">Variables every process gets (e.g. <c>MICROMOMENT__Cluster__Provider</c>).</param>
    public TestCluster(IReadOnlyDictionary<string, string> environment)
    {
        _environment = new Dictionary<string, string>(environment, StringComparer.Ordinal);
        Http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>A client for the processes' HTTP endpoints (readiness, metrics).</summary>
    public HttpClient Http { get; }

    /// <summary>The silos started so far, in order (dead ones included).</summary>
    public List<ClusterSilo> Silos { get; } = [];

    /// <summary>The gateways started so far, in order.</summary>
    public List<ClusterGateway> Gateways { get; } = [];

    /// <summary>Starts a silo process on free ports and waits until its <c>/readyz</c> answers 200 (Active in membership).</summary>
    public Task<ClusterSilo> StartSiloAsync(TimeSpan? readyWithin = null, IReadOnlyDictionary<string, string>? environment = null) =>
        StartSiloOnAsync(FreePort.Next(), FreePort.Next(), FreePort.Next(), readyWithin, environment);

    /// <summary>
    /// Starts a new silo process on the ports of <paramref name="previous"/> (which must have exited: stopped or killed),
    /// as an orchestrator restarts a pod with the same address, and waits until it is ready.
    /// </summary>
    public Task<ClusterSilo> RestartSiloAsync(ClusterSilo previous, TimeSpan? readyWithin = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        Assert.True(previous.Process.HasExited, $"{previous.Process.Name} still runs; stop or kill it before starting a silo on its ports.");
        return StartSiloOnAsync(previous.SiloPort, previous.GatewayPort, previous.Http.Port, readyWithin, environment);
    }

    /// <summary>
    /// The sum of a Prometheus metric's samples on <paramref name="silo"/>'s <c>/metrics</c> (e.g.
    /// <c>micromoment_grain_activations_total</c>, user grain activations over the silo's life); 0 when it has none.
    /// </summary>
    public async Task<double> SiloMetricAsync(ClusterSilo silo, string metric)
    {
        string text = await Http.GetStringAsync(new Uri(silo.Http, "metrics"));
        double sum = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#' || !line.StartsWith(metric, StringComparison.Ordinal)) continue;
            // "name value" or "name{labels} value", optionally followed by a timestamp.
            var rest = line.AsSpan(metric.Length);
            if (rest.Length == 0 || (rest[0] != ' ' && rest[0] != '{')) continue;
            if (rest[0] == '{') rest = rest[(rest.IndexOf('}') + 1)..];
            var parts = rest.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            sum += double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        }

        return sum;
    }

    private async Task<ClusterSilo> StartSiloOnAsync(int siloPort, int gatewayPort, int httpPort, TimeSpan? readyWithin, IReadOnlyDictionary<string, string>? environment)
    {
        var process = ClusterProcess.Start($"silo{Silos.Count}", "silo", Merge(environment),
            $"--Cluster:SiloPort={siloPort}", $"--Cluster:GatewayPort={gatewayPort}", $"--Silo:Urls=http://127.0.0.1:{httpPort}");
        _processes.Add(process);
        var silo = new ClusterSilo(process, siloPort, gatewayPort, new Uri($"http://127.0.0.1:{httpPort}/"));
        Silos.Add(silo);
        await WaitReadyAsync(process, silo.Http, readyWithin ?? TimeSpan.FromSeconds(90));
        return silo;
    }

    /// <summary>Starts <paramref name="count"/> silos at once and waits until every one is ready.</summary>
    public async Task<IReadOnlyList<ClusterSilo>> StartSilosAsync(int count, TimeSpan? readyWithin = null)
    {
        var starting = Enumerable.Range(0, count).Select(_ => StartSiloAsync(readyWithin)).ToArray();
        return await Task.WhenAll(starting);
    }

    /// <summary>
    /// Starts a gateway process (the server key in <c>MICROMOMENT_SERVER_KEY</c>, events of any age accepted) and waits
    /// until its <c>/readyz</c> answers 200.
    /// </summary>
    public Task<ClusterGateway> StartGatewayAsync(string serverKey, IReadOnlyDictionary<string, string>? environment = null, params string[] arguments) =>
        StartGatewayAsync(serverKey, FreePort.Next(), environment, arguments);

    /// <summary>
    /// Starts a new gateway process on the address of <paramref name="previous"/> (which must have exited): what a
    /// restarted pod or a load balancer's stable address gives clients. Waits until its <c>/readyz</c> answers 200.
    /// </summary>
    public Task<ClusterGateway> RestartGatewayAsync(ClusterGateway previous, string serverKey, IReadOnlyDictionary<string, string>? environment = null, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(previous);
        Assert.True(previous.Process.HasExited, $"{previous.Process.Name} still runs; stop it before starting another gateway on its port.");
        return StartGatewayAsync(serverKey, previous.Http.Port, environment, arguments);
    }

    private async Task<ClusterGateway> StartGatewayAsync(string serverKey, int httpPort, IReadOnlyDictionary<string, string>? environment, string[] arguments)
    {
        var variables = Merge(environment);
        variables["MICROMOMENT_SERVER_KEY"] = serverKey;
        string[] all = [$"--Gateway:Urls=http://127.0.0.1:{httpPort}", "--Gateway:MaxEventAge=", .. arguments];
        var process = ClusterProcess.Start($"gateway{Gateways.Count}", "gateway", variables, all);
        _processes.Add(process);
        var gateway = new ClusterGateway(process, new Uri($"http://127.0.0.1:{httpPort}/"));
        Gateways.Add(gateway);
        // A gateway loads the model and waits for a silo: over a minute when the shared box is loaded (load average 60).
        await WaitReadyAsync(process, gateway.Http, TimeSpan.FromSeconds(120));
        return gateway;
    }

    /// <summary>
    /// Connects an Orleans client to the cluster with the processes' own configuration (so with whatever membership
    /// provider the environment names), to ask the cluster where grains live.
    /// </summary>
    public Task<ClusterInspector> ConnectInspectorAsync() => ClusterInspector.ConnectAsync(_environment);

    /// <summary>The last part of every silo's output, for failure messages.</summary>
    public string SiloOutputs(int lastChars = 2_000) =>
        string.Join("\n---\n", Silos.Select(s => $"{s.Process.Name}:\n{Tail(s.Process.Output, lastChars)}"));

    // The output grows while it is read: take one copy, then its tail.
    private static string Tail(string output, int lastChars) => output[Math.Max(0, output.Length - lastChars)..];

    /// <summary>Polls <paramref name="root"/><c>readyz</c> until it answers 200; fails with the process' output if it exits or the limit passes.</summary>
    public Task WaitReadyAsync(ClusterProcess process, Uri root, TimeSpan limit) => ClusterReadiness.WaitReadyAsync(Http, process, root, limit);

    public void Dispose()
    {
        foreach (var process in _processes) process.Dispose();
        Http.Dispose();
    }

    private Dictionary<string, string> Merge(IReadOnlyDictionary<string, string>? extra)
    {
        var merged = new Dictionary<string, string>(_environment, StringComparer.Ordinal);
        if (extra is not null)
        {
            foreach (var (key, value) in extra) merged[key] = value;
        }

        return merged;
    }
}
