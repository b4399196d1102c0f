namespace MicroMoment.Gateway.Wire;

/// <summary>How a request body holds its events.</summary>
internal enum BodyFormat
{
    /// <summary>One JSON object, or a JSON array of objects.</summary>
    Json,

    /// <summary>Newline-delimited JSON: one object per line.</summary>
    Ndjson,
}
