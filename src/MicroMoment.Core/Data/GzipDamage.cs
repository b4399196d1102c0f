namespace MicroMoment.Data;

/// <summary>How the gzip data of a log failed to end cleanly; the rows before the damage are read, the rest are lost.</summary>
public enum GzipDamage
{
    /// <summary>The data ends in the middle of a gzip member (the file was cut short, or its last member lost its trailer).</summary>
    Truncated,

    /// <summary>A member fails zlib's checks: its CRC-32 or length trailer does not match, or the compressed data is invalid.</summary>
    Corrupt,

    /// <summary>The file goes on after its gzip data with bytes that are not a gzip member (e.g. a damaged further member); they are not read.</summary>
    TrailingData,
}
