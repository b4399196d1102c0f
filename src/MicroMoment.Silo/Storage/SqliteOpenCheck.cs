namespace MicroMoment.Silo.Storage;

/// <summary>How much of an existing grain storage file is verified before the storage opens it.</summary>
public enum SqliteOpenCheck
{
    /// <summary>The header, the schema version and SQLite's <c>PRAGMA quick_check</c> of every page's structure.</summary>
    Quick = 1,

    /// <summary>As <see cref="Quick"/>, and every stored state's checksum (finds damage inside state bytes too).</summary>
    Full = 2,
}
