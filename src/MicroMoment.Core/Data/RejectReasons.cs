namespace MicroMoment.Data;

/// <summary>Stable codes and readable descriptions of <see cref="RejectReason"/> values.</summary>
public static class RejectReasons
{
    /// <summary>Number of <see cref="RejectReason"/> values.</summary>
    public const int Count = 12;

    /// <summary>A stable kebab-case code, e.g. "bad-timestamp".</summary>
    public static string Code(RejectReason reason) => reason switch
    {
        RejectReason.WrongColumnCount => "wrong-column-count",
        RejectReason.TruncatedFinalLine => "truncated-final-line",
        RejectReason.RecordTooLong => "record-too-long",
        RejectReason.MalformedQuotes => "malformed-quotes",
        RejectReason.BadTimestamp => "bad-timestamp",
        RejectReason.EmptyEventType => "empty-event-type",
        RejectReason.BadProductId => "bad-product-id",
        RejectReason.BadCategoryId => "bad-category-id",
        RejectReason.BadPrice => "bad-price",
        RejectReason.NegativePrice => "negative-price",
        RejectReason.MissingUser => "missing-user",
        RejectReason.BadSessionId => "bad-session-id",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Unknown reject reason."),
    };

    /// <summary>What was wrong, phrased to follow a row count: "12 had a bad timestamp".</summary>
    public static string Describe(RejectReason reason) => reason switch
    {
        RejectReason.WrongColumnCount => "had the wrong number of columns",
        RejectReason.TruncatedFinalLine => "had a truncated final line (no line break, too few columns)",
        RejectReason.RecordTooLong => "had a row longer than the reader's limit",
        RejectReason.MalformedQuotes => "had malformed quoting",
        RejectReason.BadTimestamp => "had a bad timestamp",
        RejectReason.EmptyEventType => "had an empty event type",
        RejectReason.BadProductId => "had a bad product id",
        RejectReason.BadCategoryId => "had a bad category id",
        RejectReason.BadPrice => "had a bad price",
        RejectReason.NegativePrice => "had a negative price",
        RejectReason.MissingUser => "had no user id",
        RejectReason.BadSessionId => "had a bad session id",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Unknown reject reason."),
    };
}
