namespace MicroMoment.Data;

/// <summary>Stable codes of <see cref="GzipDamage"/> values, for reports and tooling (like <see cref="RejectReasons"/>).</summary>
public static class GzipDamages
{
    /// <summary>A stable kebab-case code, e.g. "gzip-truncated".</summary>
    public static string Code(GzipDamage damage) => damage switch
    {
        GzipDamage.Truncated => "gzip-truncated",
        GzipDamage.Corrupt => "gzip-corrupt",
        GzipDamage.TrailingData => "gzip-trailing-data",
        _ => throw new ArgumentOutOfRangeException(nameof(damage), damage, "Unknown gzip damage."),
    };
}
