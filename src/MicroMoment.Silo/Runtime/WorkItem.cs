namespace MicroMoment.Silo.Runtime;

/// <summary>A message in a partition's queue: an event of a request, or a control message.</summary>
/// <param name="Request">The request the event belongs to (null for control messages).</param>
/// <param name="Index">The event's index in the request.</param>
/// <param name="Control">The control message (null for events).</param>
internal readonly record struct WorkItem(IngestRequest? Request, int Index, ControlMessage? Control);
