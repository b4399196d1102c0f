using System.Runtime.CompilerServices;

namespace MicroMoment.Data;

/// <summary>
/// Interns strings looked up by <see cref="ReadOnlySpan{T}"/> so that values repeating across log rows
/// (users, sessions, brands, category codes) share one instance and a hit allocates nothing.
/// Memory is bounded by two generations: when the current generation is full it becomes the previous one
/// and a fresh one starts; a hit in the previous generation is promoted. Evicted values are simply
/// allocated again on their next appearance, so the pool never changes what a reader returns.
/// </summary>
internal sealed class StringPool
{
    private readonly int _generationCapacity;
    private readonly string _prefix;
    private Dictionary<string, string> _current;
    private Dictionary<string, string> _previous;
    private Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _currentLookup;
    private Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _previousLookup;

    /// <summary>Creates a pool holding at most <paramref name="generationCapacity"/> entries per generation.</summary>
    /// <param name="generationCapacity">Entries per generation (two generations are kept).</param>
    /// <param name="prefix">Text put in front of every interned value (e.g. "yc-"); lookups use the key without it.</param>
    public StringPool(int generationCapacity, string prefix = "")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(generationCapacity, 1);
        ArgumentNullException.ThrowIfNull(prefix);
        _generationCapacity = generationCapacity;
        _prefix = prefix;
        _current = new Dictionary<string, string>(StringComparer.Ordinal);
        _previous = new Dictionary<string, string>(StringComparer.Ordinal);
        _currentLookup = _current.GetAlternateLookup<ReadOnlySpan<char>>();
        _previousLookup = _previous.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Number of entries currently held (both generations).</summary>
    public int Count => _current.Count + _previous.Count;

    /// <summary>Returns the pooled string for <paramref name="key"/> (with the prefix), creating it on a miss.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string Intern(ReadOnlySpan<char> key)
    {
        if (_currentLookup.TryGetValue(key, out var value))
        {
            return value;
        }

        string keyText;
        if (_previous.Count > 0 && _previousLookup.TryGetValue(key, out value))
        {
            keyText = _prefix.Length == 0 ? value : new string(key);
        }
        else
        {
            keyText = new string(key);
            value = _prefix.Length == 0 ? keyText : string.Concat(_prefix, keyText);
        }

        if (_current.Count >= _generationCapacity)
        {
            Rotate();
        }

        _current[keyText] = value;
        return value;
    }

    private void Rotate()
    {
        var recycled = _previous;
        recycled.Clear();
        _previous = _current;
        _previousLookup = _currentLookup;
        _current = recycled;
        _currentLookup = recycled.GetAlternateLookup<ReadOnlySpan<char>>();
    }
}
