namespace MicroMoment.Gateway.Telemetry;

/// <summary>Where the gateway's telemetry goes besides /metrics.</summary>
public sealed record TelemetryOptions
{
    /// <summary>The environment variable OpenTelemetry reads the OTLP endpoint from when no endpoint is set here.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Base address of an OTLP/HTTP (protobuf) collector, e.g. http://127.0.0.1:4318 (metrics go to its /v1/metrics);
    /// null: OTLP export only when <see cref="OtlpEndpointVariable"/> is set (then OpenTelemetry's own OTEL_EXPORTER_OTLP_* variables apply).
    /// </summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>
    /// Whether Orleans' own meter (<c>Microsoft.Orleans</c>: messaging, grain calls, catalog, …) is collected. Orleans
    /// records those per message once something listens, which costs events/s on a busy silo (docs/metrics.md).
    /// </summary>
    public bool OrleansMetrics { get; init; } = true;

    /// <summary>How often metrics are pushed over OTLP.</summary>
    public TimeSpan OtlpExportInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public void Validate()
    {
        if (OtlpEndpoint is { } endpoint && (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https")))
            throw new ArgumentException($"The OTLP endpoint must be an absolute http:// or https:// address such as http://127.0.0.1:4318; got '{endpoint}'.", nameof(OtlpEndpoint));
        if (OtlpExportInterval <= TimeSpan.Zero)
            throw new ArgumentException($"The OTLP export interval must be positive; got {OtlpExportInterval}.", nameof(OtlpExportInterval));
    }
}
