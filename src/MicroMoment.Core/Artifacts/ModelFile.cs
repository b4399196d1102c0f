using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MicroMoment.Artifacts;

/// <summary>
/// The on-disk container of a MicroMoment model: a versioned binary file with a JSON header and named
/// float32 sections, closed by a SHA-256 checksum of everything before it.
/// </summary>
/// <remarks>
/// Layout (little-endian):
/// <code>
/// magic "MMMODEL\0" (8) | format version u16 | reserved u16 | header length u32 | header (UTF-8 JSON)
/// | sections (float32 arrays, in header order) | SHA-256 of all preceding bytes (32)
/// </code>
/// The header lists the sections (name and element count) so a reader can check sizes before it reads.
/// Writing the same header and sections gives the same bytes: there is no timestamp in the file.
/// Version 2 (written since models may lack a head) has the same layout; its header lists the model's heads, so a
/// build that reads only version 1 refuses a model without a buy head instead of serving a buy score it does not
/// have. Version 1 files still load, with both heads.
/// </remarks>
public sealed class ModelFile
{
    /// <summary>The format version this build writes.</summary>
    public const ushort FormatVersion = 2;

    /// <summary>The oldest format version this build reads.</summary>
    public const ushort OldestReadableVersion = 1;

    private static ReadOnlySpan<byte> Magic => "MMMODEL\0"u8;
    private const int PreambleLength = 8 + 2 + 2 + 4;
    private const int ChecksumLength = 32;

    private readonly Dictionary<string, float[]> _sections;

    /// <summary>Creates a model file from a header object and named sections.</summary>
    public ModelFile(JsonObject header, IReadOnlyDictionary<string, float[]> sections)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(sections);
        Header = header;
        _sections = new Dictionary<string, float[]>(sections, StringComparer.Ordinal);
    }

    /// <summary>The format version: the version read for a parsed file, <see cref="FormatVersion"/> for a new one.</summary>
    public ushort Version { get; private init; } = FormatVersion;

    /// <summary>The free-form header (schema, shapes, calibration, thresholds, provenance).</summary>
    public JsonObject Header { get; }

    /// <summary>The section names in file order.</summary>
    public IEnumerable<string> SectionNames => _sections.Keys.Order(StringComparer.Ordinal);

    /// <summary>Returns a section by name or throws a <see cref="ModelFormatException"/> naming the missing section.</summary>
    public float[] Section(string name) =>
        _sections.TryGetValue(name, out var values)
            ? values
            : throw new ModelFormatException($"Model file has no section '{name}'; sections present: {string.Join(", ", SectionNames)}.");

    /// <summary>Returns a section and checks its length.</summary>
    public float[] Section(string name, int expectedLength)
    {
        var values = Section(name);
        if (values.Length != expectedLength)
            throw new ModelFormatException($"Model file section '{name}' has {values.Length} values; the header's shapes expect {expectedLength}.");
        return values;
    }

    /// <summary>Serialises the file to bytes.</summary>
    public byte[] ToBytes()
    {
        var names = SectionNames.ToArray();
        var header = (JsonObject)Header.DeepClone();
        var table = new JsonArray();
        foreach (var name in names) table.Add(new JsonObject { ["name"] = name, ["count"] = _sections[name].Length });
        header["sections"] = table;
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));

        long payload = names.Sum(n => (long)_sections[n].Length * sizeof(float));
        var total = PreambleLength + headerBytes.Length + payload + ChecksumLength;
        if (total > int.MaxValue) throw new InvalidOperationException($"Model file would be {total} bytes; the format holds at most {int.MaxValue}.");
        var bytes = new byte[total];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[8..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(span[10..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], (uint)headerBytes.Length);
        headerBytes.CopyTo(span[PreambleLength..]);
        var offset = PreambleLength + headerBytes.Length;
        foreach (var name in names)
        {
            var values = _sections[name];
            for (var i = 0; i < values.Length; i++)
                BinaryPrimitives.WriteSingleLittleEndian(span[(offset + i * sizeof(float))..], values[i]);
            offset += values.Length * sizeof(float);
        }
        SHA256.HashData(span[..offset], span[offset..]);
        return bytes;
    }

    /// <summary>Writes the file atomically (temporary file, then rename).</summary>
    public void Save(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        File.WriteAllBytes(temp, ToBytes());
        File.Move(temp, full, overwrite: true);
    }

    /// <summary>Loads a file, naming the problem when it is missing, corrupt, truncated or incompatible.</summary>
    public static ModelFile Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        try
        {
            return Parse(File.ReadAllBytes(path), path);
        }
        catch (ModelFormatException) { throw; }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException($"Model file '{path}' could not be read: {ex.Message}", ex);
        }
    }

    /// <summary>Parses a file's bytes; <paramref name="name"/> is used in messages.</summary>
    public static ModelFile Parse(ReadOnlySpan<byte> bytes, string name = "model")
    {
        if (bytes.Length < Magic.Length || !bytes[..Magic.Length].SequenceEqual(Magic))
            throw new ModelFormatException($"'{name}' is not a MicroMoment model file: it does not start with the 'MMMODEL' signature.");
        if (bytes.Length < PreambleLength + ChecksumLength)
            throw new ModelFormatException($"'{name}' is truncated: {bytes.Length} bytes, shorter than the {PreambleLength + ChecksumLength}-byte minimum.");
        var version = BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]);
        if (version is < OldestReadableVersion or > FormatVersion)
            throw new ModelFormatException($"'{name}' has model format version {version}; this build reads versions {OldestReadableVersion} to {FormatVersion}. Retrain or use a matching build.");
        var headerLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes[12..]);
        if (headerLength > bytes.Length - PreambleLength - ChecksumLength)
            throw new ModelFormatException($"'{name}' is truncated: its header claims {headerLength} bytes but only {bytes.Length - PreambleLength - ChecksumLength} remain.");

        JsonObject header;
        try
        {
            header = JsonNode.Parse(bytes.Slice(PreambleLength, (int)headerLength)) as JsonObject
                ?? throw new ModelFormatException($"'{name}' has a header that is not a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new ModelFormatException($"'{name}' is corrupt: its header is not valid JSON ({ex.Message}).", ex);
        }

        if (header["sections"] is not JsonArray table)
            throw new ModelFormatException($"'{name}' is corrupt: its header has no section table.");
        var offset = PreambleLength + (int)headerLength;
        var layout = new List<(string Name, int Count, int Offset)>();
        foreach (var entry in table)
        {
            var sectionName = entry?["name"]?.GetValue<string>();
            var count = entry?["count"]?.GetValue<long>() ?? -1;
            if (sectionName is null || count < 0)
                throw new ModelFormatException($"'{name}' is corrupt: a section entry lacks a name or a count.");
            var length = count * sizeof(float);
            if (offset + length > bytes.Length - ChecksumLength)
                throw new ModelFormatException($"'{name}' is truncated: section '{sectionName}' needs {length} bytes at offset {offset}, but the file has {bytes.Length} bytes in all.");
            layout.Add((sectionName, (int)count, offset));
            offset += (int)length;
        }
        if (offset + ChecksumLength != bytes.Length)
            throw new ModelFormatException($"'{name}' has {bytes.Length} bytes; its header describes {offset + ChecksumLength}. The file is truncated or has trailing data.");

        Span<byte> actual = stackalloc byte[ChecksumLength];
        SHA256.HashData(bytes[..offset], actual);
        if (!actual.SequenceEqual(bytes[offset..]))
            throw new ModelFormatException($"'{name}' is corrupt: its SHA-256 checksum does not match its contents.");

        var sections = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (sectionName, count, start) in layout)
        {
            var values = new float[count];
            MemoryMarshal.Cast<byte, float>(bytes.Slice(start, count * sizeof(float))).CopyTo(values);
            if (!BitConverter.IsLittleEndian)
                for (var i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(start + i * 4)..]);
            sections[sectionName] = values;
        }
        header.Remove("sections");
        return new ModelFile(header, sections) { Version = version };
    }
}
