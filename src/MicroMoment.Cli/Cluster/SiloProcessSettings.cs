namespace MicroMoment.Cli.Cluster;

/// <summary>The "Silo" configuration section of <c>micromoment silo</c> (the model, policy, durability and HTTP endpoint of one silo process).</summary>
public sealed class SiloProcessSettings
{
    /// <summary>The section's name.</summary>
    public const string SectionName = "Silo";

    /// <summary>The model file; default: the bundled model.</summary>
    public string? Model { get; set; }

    /// <summary>The trigger policy file (YAML or JSON, reloaded when it changes); default: policies/default.yaml next to the program.</summary>
    public string? Policy { get; set; }

    /// <summary>When grain state is written: "checkpoint" (default) or "every-event" (before an event is acknowledged).</summary>
    public string Durability { get; set; } = "checkpoint";

    /// <summary>The model backend: simd (default), onnx-cpu, onnx-cuda or auto.</summary>
    public string Backend { get; set; } = Silo.Execution.SimdStepBackend.BackendName;

    /// <summary>Where the silo's HTTP endpoints (/healthz, /readyz, /metrics) listen. Default http://127.0.0.1:8081.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:8081";

    /// <summary>Whether Orleans' dashboard may time every grain call while it is watched (costs CPU per event). Default false.</summary>
    public bool OrleansProfiling { get; set; }

    /// <summary>The durability, parsed.</summary>
    /// <exception cref="ArgumentException">Not checkpoint or every-event.</exception>
    public Silo.Durability ParseDurability() => (Durability ?? "").Trim().ToLowerInvariant() switch
    {
        "checkpoint" => Silo.Durability.Checkpoint,
        "every-event" or "everyevent" => Silo.Durability.EveryEvent,
        _ => throw new ArgumentException($"Silo:Durability is '{Durability}'; expected checkpoint or every-event."),
    };
}
