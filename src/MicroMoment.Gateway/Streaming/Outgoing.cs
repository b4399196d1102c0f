using MicroMoment.Gateway.Wire;
using MicroMoment.Silo;

namespace MicroMoment.Gateway.Streaming;

/// <summary>One item waiting in a connection's send queue: an offer (serialized by the send loop), a ready message, or
/// the close frame that ends the send loop. <paramref name="DecidedAt"/> is the Stopwatch timestamp of an offer's hand-over
/// by the silo (decision-to-delivery latency).</summary>
internal readonly record struct Outgoing(Offer? Offer, StreamMessage? Message, bool Close = false, long DecidedAt = 0);
