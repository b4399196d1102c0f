namespace MicroMoment.Data;

/// <summary>Outcome of reading one record with <see cref="DelimitedRecordReader"/>.</summary>
internal enum RecordStatus
{
    /// <summary>A record was read; its fields are available.</summary>
    Record,

    /// <summary>No more data.</summary>
    EndOfData,

    /// <summary>The record exceeded the length limit and was skipped up to the next line break.</summary>
    TooLong,

    /// <summary>The record's quoting does not follow RFC 4180 (unterminated quote, text after a closing quote, a quote inside an unquoted field).</summary>
    MalformedQuotes,
}
