namespace MicroMoment.Client;

/// <summary>A batch sent on the stream: {"batch": id, "events": [...]}.</summary>
internal sealed record StreamEnvelope(string Batch, IReadOnlyList<ShopperEvent> Events);
