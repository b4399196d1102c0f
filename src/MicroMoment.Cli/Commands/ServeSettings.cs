using MicroMoment.Silo;

namespace MicroMoment.Cli.Commands;

/// <summary>What <c>micromoment serve</c> was asked for.</summary>
internal sealed record ServeSettings
{
    /// <summary>Model file; null: the bundled model.</summary>
    public FileInfo? Model { get; init; }

    /// <summary>Trigger policy file (YAML or JSON, hot-reloaded); null: the default policy file.</summary>
    public FileInfo? Policy { get; init; }

    /// <summary>Folder of the silo's SQLite state.</summary>
    public required DirectoryInfo DataDirectory { get; init; }

    /// <summary>Where to listen.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>Server key given on the command line or in MICROMOMENT_SERVER_KEY.</summary>
    public string? ServerKey { get; init; }

    /// <summary>Publishable key given on the command line or in MICROMOMENT_PUBLISHABLE_KEY.</summary>
    public string? PublishableKey { get; init; }

    /// <summary>Tenant of the keys.</summary>
    public string Tenant { get; init; } = Events.ClickEvent.DefaultTenant;

    /// <summary>Accept events of any age (to replay historical logs).</summary>
    public bool AcceptHistorical { get; init; }

    /// <summary>When grain state is written (checkpoints, or after every event).</summary>
    public Durability Durability { get; init; } = Durability.Checkpoint;

    /// <summary>The model backend of the silo's executor (simd, onnx-cpu, onnx-cuda, auto).</summary>
    public string Backend { get; init; } = Silo.Execution.SimdStepBackend.BackendName;

    /// <summary>The loopback port of the Orleans client gateway for .NET backends (0: none).</summary>
    public int OrleansPort { get; init; } = DefaultOrleansPort;

    /// <summary>Whether Orleans' dashboard times every grain call while it is watched (its grain call filter).</summary>
    public bool OrleansProfiling { get; init; }

    /// <summary>Orleans' usual client gateway port.</summary>
    public const int DefaultOrleansPort = Grains.MicroMomentCluster.DefaultGatewayPort;

    /// <summary>The share of events traced and exported over OTLP (0 to 1); null: 1% when OTEL_EXPORTER_OTLP_ENDPOINT is set, else off.</summary>
    public double? TraceSampleRatio { get; init; }

    /// <summary>Further set-up of the silo's and the gateway's logging (e.g. a provider that collects entries), or null.</summary>
    public Action<Microsoft.Extensions.Logging.ILoggingBuilder>? Logging { get; init; }

    /// <summary>Whether the console log may be coloured (standard output is a terminal and NO_COLOR is unset; see <see cref="ConsoleStyle"/>).</summary>
    public bool LogColor { get; init; }

    /// <summary>OTLP/HTTP collector base address for metrics, or null (then OTEL_EXPORTER_OTLP_ENDPOINT decides).</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>Whether Orleans' own meter is collected (--no-orleans-metrics turns it off).</summary>
    public bool OrleansMetrics { get; init; } = true;
}
