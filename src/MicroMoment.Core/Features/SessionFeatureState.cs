using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MicroMoment.Events;
using MicroMoment.Numerics;

namespace MicroMoment.Features;

/// <summary>
/// The running state of one session, updated event by event with no look-ahead. It is an unmanaged
/// struct (no reference fields, <see cref="SizeInBytes"/> bytes, at most <see cref="MaxSizeInBytes"/>) so
/// a user grain holds it inline and persists it as raw bytes with <see cref="WriteTo"/>/<see cref="ReadFrom"/>.
/// </summary>
/// <remarks>
/// <para>Exact statistics: event counts (total and per <see cref="EventType"/>), first/last timestamps, gaps
/// (sum, max, count), priced events (count, sum of price, sum of log1p(price), min, max), last product and
/// category, category switches, product revisits, last cart time.</para>
/// <para>Windowed statistics: a ring of the <see cref="RecentCapacity"/> most recent events that carry a
/// product or category holds their product and category ids. Revisits, "times this product was seen" and
/// the most revisited product/category are exact within that window and blind beyond it.</para>
/// <para>Approximate statistics: distinct products and distinct categories are estimated by linear counting
/// on a <see cref="BitmapBits"/>-bit bitmap each: an id sets bit hash(id) mod 256 and the estimate is
/// −m·ln(z/m) with m = 256 and z the number of zero bits. The estimate is within about 2% for up to
/// ~200 distinct ids (it is unbiased for collisions, not rounded), and saturates at m·ln(m) ≈ 1,420 when
/// every bit is set.</para>
/// <para>Byte layout is little-endian, sequential, and versioned by <see cref="LayoutVersion"/>; a
/// state persisted by another layout version is rejected by <see cref="ReadFrom"/>.</para>
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public struct SessionFeatureState
{
    /// <summary>The version of the byte layout; bump it whenever fields change.</summary>
    public const int LayoutVersion = 1;

    /// <summary>How many recent product/category events the revisit ring remembers.</summary>
    public const int RecentCapacity = 16;

    /// <summary>The number of bits in each distinct-count bitmap.</summary>
    public const int BitmapBits = 256;

    /// <summary>The documented upper bound on <see cref="SizeInBytes"/>.</summary>
    public const int MaxSizeInBytes = 512;

    private const int BitmapWords = BitmapBits / 64;
    private const ulong ProductSalt = 0x9E3779B97F4A7C15UL;
    private const ulong CategorySalt = 0xC2B2AE3D27D4EB4FUL;

    private int _layoutVersion;
    private int _eventCount;
    private TypeCountBuffer _typeCounts;
    private int _gapCount;
    private long _firstTicks;
    private long _lastTicks;
    private long _lastCartTicks;
    private double _gapSumSeconds;
    private double _gapMaxSeconds;
    private int _pricedCount;
    private float _minPrice;
    private float _maxPrice;
    private double _sumPrice;
    private double _sumLogPrice;
    private long _lastProductId;
    private long _lastCategoryId;
    private int _categorySwitches;
    private int _productRevisits;
    private int _ringCount;
    private int _ringNext;
    private RingBuffer _recentProducts;
    private RingBuffer _recentCategories;
    private BitmapBuffer _productBits;
    private BitmapBuffer _categoryBits;

    /// <summary>The size of the state in bytes (what <see cref="WriteTo"/> writes).</summary>
    public static int SizeInBytes => Unsafe.SizeOf<SessionFeatureState>();

    /// <summary>Events observed so far.</summary>
    public readonly int EventCount => _eventCount;

    /// <summary>True when no event has been observed since construction or <see cref="Reset"/>.</summary>
    public readonly bool IsEmpty => _eventCount == 0;

    /// <summary>Ticks (UTC) of the first event; 0 when empty.</summary>
    public readonly long FirstTimestampTicks => _firstTicks;

    /// <summary>Ticks (UTC) of the latest event (the maximum seen, so a late event never moves it back); 0 when empty.</summary>
    public readonly long LastTimestampTicks => _lastTicks;

    /// <summary>Seconds from the first to the latest event.</summary>
    public readonly double DurationSeconds => _eventCount == 0 ? 0 : (_lastTicks - _firstTicks) / (double)TimeSpan.TicksPerSecond;

    /// <summary>Number of gaps between consecutive events (events − 1, or 0).</summary>
    public readonly int GapCount => _gapCount;

    /// <summary>Mean gap between consecutive events in seconds (a dwell estimate); 0 with fewer than two events.</summary>
    public readonly double MeanGapSeconds => _gapCount == 0 ? 0 : _gapSumSeconds / _gapCount;

    /// <summary>Longest gap between consecutive events in seconds; 0 with fewer than two events.</summary>
    public readonly double MaxGapSeconds => _gapMaxSeconds;

    /// <summary>Events that carried a usable price.</summary>
    public readonly int PricedCount => _pricedCount;

    /// <summary>Arithmetic mean price of priced events; NaN when none had a price.</summary>
    public readonly double MeanPrice => _pricedCount == 0 ? double.NaN : _sumPrice / _pricedCount;

    /// <summary>Mean of log1p(price) over priced events; 0 when none had a price.</summary>
    public readonly double MeanLogPrice => _pricedCount == 0 ? 0 : _sumLogPrice / _pricedCount;

    /// <summary>Lowest price seen; NaN when none.</summary>
    public readonly float MinPrice => _pricedCount == 0 ? float.NaN : _minPrice;

    /// <summary>Highest price seen; NaN when none.</summary>
    public readonly float MaxPrice => _pricedCount == 0 ? float.NaN : _maxPrice;

    /// <summary>Product id of the latest event that had one; 0 when none.</summary>
    public readonly long LastProductId => _lastProductId;

    /// <summary>Category id of the latest event that had one; 0 when none.</summary>
    public readonly long LastCategoryId => _lastCategoryId;

    /// <summary>Events whose known category differed from the previous known category.</summary>
    public readonly int CategorySwitches => _categorySwitches;

    /// <summary>Events whose product already appeared among the previous <see cref="RecentCapacity"/> ring entries.</summary>
    public readonly int ProductRevisits => _productRevisits;

    /// <summary>True once the session has an add-to-cart.</summary>
    public readonly bool HasCart => _typeCounts[(int)EventType.Cart] > 0;

    /// <summary>Ticks (UTC) of the latest add-to-cart; 0 when none.</summary>
    public readonly long LastCartTicks => _lastCartTicks;

    /// <summary>Linear-counting estimate of distinct products seen (see the type remarks).</summary>
    public readonly double DistinctProducts => LinearCount(_productBits);

    /// <summary>Linear-counting estimate of distinct categories seen (see the type remarks).</summary>
    public readonly double DistinctCategories => LinearCount(_categoryBits);

    /// <summary>Events of the given type observed so far.</summary>
    public readonly int Count(EventType type)
    {
        if ((uint)type >= EventTypes.Count)
            throw new ArgumentOutOfRangeException(nameof(type), type, $"Expected an EventType in 0..{EventTypes.Count - 1}.");
        return _typeCounts[(int)type];
    }

    /// <summary>How many of the ring's recent entries (up to <see cref="RecentCapacity"/>) hold this product; 0 for product 0.</summary>
    public readonly int RecentOccurrences(long productId)
    {
        if (productId == 0) return 0;
        int hits = 0;
        for (int i = 0; i < _ringCount; i++)
        {
            if (_recentProducts[i] == productId) hits++;
        }
        return hits;
    }

    /// <summary>The product seen most often in the recent window (ties: the most recent); 0 when none.</summary>
    public readonly long MostRevisitedProduct() => MostFrequent(_recentProducts, out _);

    /// <summary>The product seen most often in the recent window (ties: the most recent), with its count; 0 and 0 when none.</summary>
    public readonly long MostRevisitedProduct(out int occurrences) => MostFrequent(_recentProducts, out occurrences);

    /// <summary>The category seen most often in the recent window (ties: the most recent); 0 when none.</summary>
    public readonly long MostRevisitedCategory() => MostFrequent(_recentCategories, out _);

    /// <summary>The category seen most often in the recent window (ties: the most recent), with its count; 0 and 0 when none.</summary>
    public readonly long MostRevisitedCategory(out int occurrences) => MostFrequent(_recentCategories, out occurrences);

    /// <summary>Seconds from the latest add-to-cart to <paramref name="nowTicks"/>; NaN when there was no cart.</summary>
    public readonly double SecondsSinceLastCart(long nowTicks) =>
        _lastCartTicks == 0 ? double.NaN : Math.Max(0, nowTicks - _lastCartTicks) / (double)TimeSpan.TicksPerSecond;

    /// <summary>Forgets everything: the state of a session that has not started.</summary>
    public void Reset() => this = default;

    /// <summary>
    /// Adds one event. Events are expected in time order; an event older than the latest one counts a gap of
    /// zero and leaves the latest timestamp where it is. Allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The timestamp is local time, or the type is not a defined <see cref="EventType"/>.</exception>
    public void Observe(in ClickEvent e)
    {
        if (e.Timestamp.Kind == DateTimeKind.Local)
            throw new ArgumentException("ClickEvent.Timestamp must be UTC (DateTimeKind.Utc, or Unspecified read as UTC); got a local time.", nameof(e));
        if ((uint)e.Type >= EventTypes.Count)
            throw new ArgumentException($"ClickEvent.Type {(int)e.Type} is not a defined EventType (expected 0..{EventTypes.Count - 1}).", nameof(e));

        long ticks = e.Timestamp.Ticks;
        _layoutVersion = LayoutVersion;
        if (_eventCount == 0)
        {
            _firstTicks = ticks;
            _lastTicks = ticks;
        }
        else
        {
            double gap = GapSeconds(ticks);
            _gapSumSeconds += gap;
            if (gap > _gapMaxSeconds) _gapMaxSeconds = gap;
            _gapCount++;
            if (ticks > _lastTicks) _lastTicks = ticks;
        }

        _eventCount++;
        _typeCounts[(int)e.Type]++;
        if (e.Type == EventType.Cart) _lastCartTicks = Math.Max(_lastCartTicks, ticks);

        if (e.HasPrice)
        {
            float price = e.Price;
            if (_pricedCount == 0)
            {
                _minPrice = price;
                _maxPrice = price;
            }
            else
            {
                if (price < _minPrice) _minPrice = price;
                if (price > _maxPrice) _maxPrice = price;
            }
            _pricedCount++;
            _sumPrice += price;
            _sumLogPrice += Math.Log(1.0 + price);
        }

        if (e.CategoryId != 0)
        {
            if (_lastCategoryId != 0 && _lastCategoryId != e.CategoryId) _categorySwitches++;
            _lastCategoryId = e.CategoryId;
            SetBit(ref _categoryBits, e.CategoryId, CategorySalt);
        }

        if (e.ProductId != 0)
        {
            if (RecentOccurrences(e.ProductId) > 0) _productRevisits++;
            _lastProductId = e.ProductId;
            SetBit(ref _productBits, e.ProductId, ProductSalt);
        }

        if (e.ProductId != 0 || e.CategoryId != 0)
        {
            _recentProducts[_ringNext] = e.ProductId;
            _recentCategories[_ringNext] = e.CategoryId;
            _ringNext = (_ringNext + 1) % RecentCapacity;
            if (_ringCount < RecentCapacity) _ringCount++;
        }
    }

    /// <summary>Seconds between the latest observed event and <paramref name="ticks"/>, never negative; 0 when empty.</summary>
    public readonly double GapSeconds(long ticks) =>
        _eventCount == 0 ? 0 : Math.Max(0, ticks - _lastTicks) / (double)TimeSpan.TicksPerSecond;

    /// <summary>Writes the state's bytes (exactly <see cref="SizeInBytes"/>) to <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than <see cref="SizeInBytes"/>.</exception>
    public readonly void WriteTo(Span<byte> destination)
    {
        if (destination.Length < SizeInBytes)
            throw new ArgumentException($"Destination holds {destination.Length} bytes; a SessionFeatureState needs {SizeInBytes}.", nameof(destination));
        SessionFeatureState copy = this;
        MemoryMarshal.Write(destination, in copy);
    }

    /// <summary>Reads a state written by <see cref="WriteTo"/> with the same <see cref="LayoutVersion"/>.</summary>
    /// <exception cref="ArgumentException">The length is not <see cref="SizeInBytes"/>, or the bytes come from another layout version.</exception>
    public static SessionFeatureState ReadFrom(ReadOnlySpan<byte> source)
    {
        if (source.Length != SizeInBytes)
            throw new ArgumentException($"A SessionFeatureState is {SizeInBytes} bytes; got {source.Length}.", nameof(source));
        var state = MemoryMarshal.Read<SessionFeatureState>(source);
        if (state._layoutVersion != 0 && state._layoutVersion != LayoutVersion)
            throw new ArgumentException($"The bytes hold SessionFeatureState layout version {state._layoutVersion}; this build reads version {LayoutVersion}.", nameof(source));
        if (state._eventCount < 0 || state._ringCount is < 0 or > RecentCapacity || state._ringNext is < 0 or >= RecentCapacity)
            throw new ArgumentException("The bytes do not hold a valid SessionFeatureState (negative count or ring index out of range).", nameof(source));
        return state;
    }

    private readonly long MostFrequent(in RingBuffer ids, out int occurrences)
    {
        long best = 0;
        int bestCount = 0;
        // Walk from the most recent entry backwards so that, on a tie, the most recent id wins.
        for (int back = 0; back < _ringCount; back++)
        {
            long id = ids[(_ringNext - 1 - back + RecentCapacity) % RecentCapacity];
            if (id == 0 || id == best) continue;
            int count = 0;
            for (int j = 0; j < _ringCount; j++)
            {
                if (ids[j] == id) count++;
            }
            if (count > bestCount)
            {
                best = id;
                bestCount = count;
            }
        }
        occurrences = bestCount;
        return best;
    }

    private static void SetBit(ref BitmapBuffer bits, long id, ulong salt)
    {
        // The SplitMix64 finaliser spreads nearby ids (e.g. consecutive product ids) over the whole bitmap.
        int bit = (int)(SplitMix64.Mix((ulong)id ^ salt) & (BitmapBits - 1));
        bits[bit >> 6] |= 1UL << (bit & 63);
    }

    private static double LinearCount(in BitmapBuffer bits)
    {
        int set = 0;
        for (int i = 0; i < BitmapWords; i++) set += BitOperations.PopCount(bits[i]);
        int zero = BitmapBits - set;
        if (zero == 0) return BitmapBits * Math.Log(BitmapBits);
        return -BitmapBits * Math.Log(zero / (double)BitmapBits);
    }

    [InlineArray(EventTypes.Count)]
    private struct TypeCountBuffer
    {
        private int _element;
    }

    [InlineArray(RecentCapacity)]
    private struct RingBuffer
    {
        private long _element;
    }

    [InlineArray(BitmapWords)]
    private struct BitmapBuffer
    {
        private ulong _element;
    }
}
