using Orleans.Runtime;
using Orleans.Storage;

namespace MicroMoment.Silo.Storage;

/// <summary>Checks a <see cref="SqliteGrainStorageOptions"/> at silo start; each message names the bad setting.</summary>
public sealed class SqliteGrainStorageOptionsValidator(SqliteGrainStorageOptions options, string name) : IConfigurationValidator
{
    /// <inheritdoc/>
    public void ValidateConfiguration() => Validate(options, name);

    /// <summary>Throws <see cref="OrleansConfigurationException"/> naming the first bad setting of <paramref name="options"/>.</summary>
    public static void Validate(SqliteGrainStorageOptions options, string name)
    {
        ArgumentNullException.ThrowIfNull(options);
        string prefix = $"Grain storage '{name}': {nameof(SqliteGrainStorageOptions)}.";
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            throw new OrleansConfigurationException($"{prefix}{nameof(options.DataDirectory)} is empty; set it to the folder that holds the grain state file.");
        }

        if (options.DataDirectory.Contains('\0'))
        {
            throw new OrleansConfigurationException($"{prefix}{nameof(options.DataDirectory)} contains a NUL character; expected a folder path.");
        }

        string file = options.FileName ?? "";
        if (file.Length == 0 || file != file.Trim() || file is "." or ".." || file.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0
            || file.Contains('/') || file.Contains('\\'))
        {
            throw new OrleansConfigurationException(
                $"{prefix}{nameof(options.FileName)} is '{file}'; expected a plain file name such as '{SqliteGrainStorageOptions.DefaultFileName}' (no folders, no leading or trailing spaces).");
        }

        if (!Enum.IsDefined(options.Synchronous))
        {
            throw new OrleansConfigurationException($"{prefix}{nameof(options.Synchronous)} is {(int)options.Synchronous}; expected {nameof(SqliteSynchronousMode.Normal)} or {nameof(SqliteSynchronousMode.Full)}.");
        }

        if (options.MaxBatch is < 1 or > SqliteGrainStorageOptions.MaxBatchLimit)
        {
            throw new OrleansConfigurationException($"{prefix}{nameof(options.MaxBatch)} is {options.MaxBatch}; expected 1 to {SqliteGrainStorageOptions.MaxBatchLimit}.");
        }

        if (options.ReadConnections is < 1 or > SqliteGrainStorageOptions.ReadConnectionsLimit)
        {
            throw new OrleansConfigurationException($"{prefix}{nameof(options.ReadConnections)} is {options.ReadConnections}; expected 1 to {SqliteGrainStorageOptions.ReadConnectionsLimit}.");
        }

        if (!Enum.IsDefined(options.OpenCheck))
        {
            throw new OrleansConfigurationException($"{prefix}{nameof(options.OpenCheck)} is {(int)options.OpenCheck}; expected {nameof(SqliteOpenCheck.Quick)} or {nameof(SqliteOpenCheck.Full)}.");
        }

        if (options.InitStage >= ServiceLifecycleStage.GrainDeactivation)
        {
            throw new OrleansConfigurationException(
                $"{prefix}{nameof(options.InitStage)} is {options.InitStage}; expected a stage below {ServiceLifecycleStage.GrainDeactivation} (grain deactivation), so the storage is open before grains activate and closes after they have written their state.");
        }

        if (options.StateFormat is { } format && format <= 0)
        {
            throw new OrleansConfigurationException($"{prefix}{nameof(options.StateFormat)} is {format}; expected a positive number (or null to follow the serializer).");
        }

        if (options.GrainStorageSerializer is null)
        {
            throw new OrleansConfigurationException($"{prefix}{nameof(options.GrainStorageSerializer)} is not set; register the storage with AddSqliteGrainStorage (which uses the silo's IGrainStorageSerializer) or set one.");
        }

        if (options.StateFormat is { } reserved && reserved < SqliteStateFormat.FirstCustom && reserved != FormatOf(options.GrainStorageSerializer))
        {
            throw new OrleansConfigurationException(
                $"{prefix}{nameof(options.StateFormat)} is {reserved}, but numbers below {SqliteStateFormat.FirstCustom} name Orleans' own serializers and the serializer is {options.GrainStorageSerializer.GetType().FullName}; " +
                $"leave it null to follow the serializer, or use {SqliteStateFormat.FirstCustom} or above.");
        }

        if (options.StateFormat is null && FormatOf(options.GrainStorageSerializer) is null)
        {
            throw new OrleansConfigurationException(
                $"{prefix}{nameof(options.StateFormat)} is not set and the serializer {options.GrainStorageSerializer.GetType().FullName} is not one of Orleans' own; set it to a number of {SqliteStateFormat.FirstCustom} or above that names this serializer's byte format.");
        }
    }

    /// <summary>The format number <paramref name="options"/> writes (after <see cref="Validate"/>).</summary>
    public static int EffectiveFormat(SqliteGrainStorageOptions options) =>
        options.StateFormat ?? FormatOf(options.GrainStorageSerializer)
        ?? throw new InvalidOperationException("The options were not validated: no state format.");

    private static int? FormatOf(IGrainStorageSerializer serializer) => serializer switch
    {
        JsonGrainStorageSerializer => SqliteStateFormat.OrleansJson,
        OrleansGrainStorageSerializer => SqliteStateFormat.OrleansBinary,
        SystemTextJsonGrainStorageSerializer => SqliteStateFormat.SystemTextJson,
        _ => null,
    };
}
