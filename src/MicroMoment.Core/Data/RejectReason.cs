namespace MicroMoment.Data;

/// <summary>Why an input row was rejected. Stable codes for logs and tooling come from <see cref="RejectReasons.Code"/>.</summary>
public enum RejectReason
{
    /// <summary>The row has more or fewer columns than the header.</summary>
    WrongColumnCount,

    /// <summary>The last line of the input has no line break and too few columns: the file was cut mid-row.</summary>
    TruncatedFinalLine,

    /// <summary>The row is longer than the reader's limit and was skipped.</summary>
    RecordTooLong,

    /// <summary>The row's quoting does not follow RFC 4180.</summary>
    MalformedQuotes,

    /// <summary>The timestamp is missing or not in the format's timestamp syntax.</summary>
    BadTimestamp,

    /// <summary>The event type is empty. (Unknown but non-empty types are accepted as <c>Other</c>.)</summary>
    EmptyEventType,

    /// <summary>The product (item) id is missing, negative or not an integer.</summary>
    BadProductId,

    /// <summary>The category id is not a non-negative integer.</summary>
    BadCategoryId,

    /// <summary>The price is not a finite decimal number.</summary>
    BadPrice,

    /// <summary>The price is negative.</summary>
    NegativePrice,

    /// <summary>The user id is empty.</summary>
    MissingUser,

    /// <summary>The session id is missing or not an integer.</summary>
    BadSessionId,
}
