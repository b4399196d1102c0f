using Microsoft.Extensions.Logging;

namespace MicroMoment.Silo;

/// <summary>
/// The silo's log messages (source-generated, structured, event ids 1000-1099; docs/observability.md lists them). The
/// ids are part of the product: alerting rules match them, so they never change meaning.
/// </summary>
internal static partial class SiloLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Policy {Path}: reloaded version {Version} (was {Previous}); {Rules} rules, {Experiments} experiments.")]
    public static partial void PolicyReloaded(ILogger logger, string path, string version, string previous, int rules, int experiments);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "{Error} The running policy {Version} stays in force.")]
    public static partial void PolicyReloadFailed(ILogger logger, string error, string version);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Policy {Path}: file-system notifications are unavailable ({Reason}); polling every {Seconds:0.###} s instead.")]
    public static partial void PolicyPolling(ILogger logger, string path, string reason, double seconds);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Model backend auto: {Fallback} Running '{Backend}'.")]
    public static partial void BackendFallback(ILogger logger, string fallback, string backend);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Warning, Message = "Writing the state of {Grain} failed ({ErrorType}: {Error}); {Unwritten} changes are not in storage yet.")]
    public static partial void StateWriteFailed(ILogger logger, string grain, string errorType, string error, int unwritten);

    [LoggerMessage(EventId = 1030, Level = LogLevel.Error, Message = "A user grain failed on an ingest call; its events were answered overloaded (internal-error), to be resent.")]
    public static partial void IngestCallFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 1031, Level = LogLevel.Error, Message = "Offer sink {Sink} threw on offer {OfferId}.")]
    public static partial void OfferSinkFailed(ILogger logger, Exception error, string sink, string offerId);

    [LoggerMessage(EventId = 1040, Level = LogLevel.Warning, Message = "Experiment counts could not be handed to their grain ({Error}); they are kept for the next try.")]
    public static partial void ExperimentCountsDeferred(ILogger logger, string error);

    [LoggerMessage(EventId = 1041, Level = LogLevel.Error, Message = "Experiment counts could not be handed to their grain at shutdown ({Error}); they are lost.")]
    public static partial void ExperimentCountsLost(ILogger logger, string error);

    [LoggerMessage(EventId = 1042, Level = LogLevel.Warning, Message = "Experiment counter metric '{Metric}' is unknown to this build and was skipped; expected one of: {Expected}.")]
    public static partial void UnknownExperimentMetric(ILogger logger, string metric, string expected);
}
