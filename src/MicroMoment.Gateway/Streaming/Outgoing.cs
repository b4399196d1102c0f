using MicroMoment.Gateway.Wire;
using MicroMoment.Silo;

namespace MicroMoment.Gateway.Streaming;

/// <summary>One message waiting in a connection's send queue: an offer (serialized by the send loop) or a ready message.</summary>
internal readonly record struct Outgoing(Offer? Offer, StreamMessage? Message);
