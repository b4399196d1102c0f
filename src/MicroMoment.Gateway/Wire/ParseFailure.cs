namespace MicroMoment.Gateway.Wire;

/// <summary>Why a whole body was refused (nothing in it is applied).</summary>
/// <param name="StatusCode">400 (nothing parsed), 403 (an event names a shopper the caller is not bound to) or 413 (too many events).</param>
/// <param name="Title">Short problem title.</param>
/// <param name="Detail">What was wrong and what was expected.</param>
internal sealed record ParseFailure(int StatusCode, string Title, string Detail);
