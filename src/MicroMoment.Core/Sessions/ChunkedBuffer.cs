namespace MicroMoment.Sessions;

/// <summary>
/// An append-only buffer stored in fixed-size chunks, so that tens of millions of items can be collected without
/// the doubling copies (and the transient 2x memory) of a growing array.
/// </summary>
internal sealed class ChunkedBuffer<T>
{
    private const int ChunkShift = 16;
    private const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;

    private readonly List<T[]> _chunks = [];
    private T[] _tail = [];
    private int _tailCount = ChunkSize;

    /// <summary>Number of items added.</summary>
    public int Count { get; private set; }

    /// <summary>The item at <paramref name="index"/> (not range-checked beyond the array's own checks).</summary>
    public ref T this[int index] => ref _chunks[index >> ChunkShift][index & ChunkMask];

    /// <summary>Appends an item.</summary>
    public void Add(in T item)
    {
        if (_tailCount == ChunkSize)
        {
            if (Count == Array.MaxLength - ChunkSize)
            {
                throw new InvalidOperationException($"Cannot hold more than {Count:N0} items.");
            }

            _tail = new T[ChunkSize];
            _chunks.Add(_tail);
            _tailCount = 0;
        }

        _tail[_tailCount++] = item;
        Count++;
    }
}
