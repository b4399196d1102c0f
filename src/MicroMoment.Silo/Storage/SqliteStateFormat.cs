namespace MicroMoment.Silo.Storage;

/// <summary>The numbers stored with each grain state to name the serializer that wrote its bytes.</summary>
public static class SqliteStateFormat
{
    /// <summary>Orleans' default grain storage serializer (<c>JsonGrainStorageSerializer</c>, Newtonsoft JSON).</summary>
    public const int OrleansJson = 1;

    /// <summary>The Orleans binary grain storage serializer (<c>OrleansGrainStorageSerializer</c>).</summary>
    public const int OrleansBinary = 2;

    /// <summary>The System.Text.Json grain storage serializer (<c>SystemTextJsonGrainStorageSerializer</c>).</summary>
    public const int SystemTextJson = 3;

    /// <summary>The smallest number for any other serializer (set it in <see cref="SqliteGrainStorageOptions.StateFormat"/>).</summary>
    public const int FirstCustom = 100;
}
