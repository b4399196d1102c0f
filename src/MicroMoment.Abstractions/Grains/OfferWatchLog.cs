using Microsoft.Extensions.Logging;

namespace MicroMoment.Grains;

/// <summary>Log messages of <see cref="OfferWatches"/> (event ids 1100-1109).</summary>
internal static partial class OfferWatchLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "Renewing the offer watch of {Shopper} failed ({Error}); retried in {Seconds:0} s.")]
    public static partial void RenewalFailed(ILogger logger, string shopper, string error, double seconds);
}
