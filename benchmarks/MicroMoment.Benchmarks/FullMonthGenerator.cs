using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using MicroMoment.Data;
using MicroMoment.Numerics;

namespace MicroMoment.Benchmarks;

/// <summary>
/// Writes a SYNTHETIC gzip REES46 CSV shaped like a full month of the real "2019-Oct.csv" (about 42 million rows,
/// 3 million users, 9 million sessions, 170 thousand products), for measuring ingest and training memory and time at
/// that scale. Only the shape is realistic: 9-digit numeric user ids, UUID user_session ids, 19-digit category ids,
/// dotted category codes (missing for about a third of the categories), lowercase brand words (missing for about one
/// product in seven), prices with two decimals, rows in time order over 31 days with a daily cycle, heavy-tailed
/// session lengths, Zipf product popularity, mostly views with a few percent carts and purchases. The behaviour is
/// not the real shoppers' behaviour, so model metrics measured on this file say nothing about real data.
/// Deterministic for a given row count and seed; memory stays small (only sessions in progress are held).
/// </summary>
public static class FullMonthGenerator
{
    private const int Products = 170_000;
    private const int Categories = 624;
    private const int Brands = 3_400;
    private const double MeanSessionLength = 4.6;
    private const double UsersPerSession = 0.35; // pool size per session; about 3.0M distinct users for 9.1M sessions

    private static readonly DateTime MonthStart = new(2019, 10, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Month = TimeSpan.FromDays(31);

    private static readonly string[] Departments =
    [
        "electronics", "appliances", "computers", "furniture", "apparel", "kids", "sport", "construction", "auto",
        "accessories", "medicine", "stationery", "country_yard",
    ];

    private static readonly string[] Kinds =
    [
        "smartphone", "audio.headphone", "video.tv", "clocks", "tablet", "camera.photo", "kitchen.kettle", "kitchen.washer",
        "kitchen.refrigerators", "environment.vacuum", "environment.air_heater", "iron", "notebook", "desktop",
        "peripherals.mouse", "peripherals.printer", "components.videocards", "living_room.sofa", "bedroom.bed",
        "kitchen.table", "shoes", "shoes.keds", "costume", "jeans", "toys", "carriage", "bicycle", "tennis", "tools.drill",
        "tools.light", "accessories.player", "accessories.videoregister", "bag", "wallet", "tools.tonometer",
        "cartrige", "lawn_mower", "umbrella", "skates", "ski",
    ];

    private static readonly string[] Syllables =
    [
        "ka", "lo", "mi", "sa", "to", "ve", "ni", "ra", "po", "zu", "be", "de", "fi", "gu", "ha", "jo",
        "ke", "lu", "me", "no", "pi", "ri", "su", "te", "vo", "xi", "ya", "ze", "ar", "on", "el", "is",
    ];

    /// <summary>Writes <paramref name="rows"/> data rows (plus the header) to <paramref name="path"/> as gzip and prints a summary.</summary>
    public static void Run(string[] args)
    {
        if (args.Length < 2 || !long.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out long rows) || rows < 1)
        {
            throw new ArgumentException("Usage: fullmonth-gen <output.csv.gz> <rows> [seed]; rows must be a positive integer (42000000 for a month).");
        }

        long seed = args.Length > 2 ? long.Parse(args[2], CultureInfo.InvariantCulture) : 2019_10;
        var clock = Stopwatch.StartNew();
        var summary = Write(args[0], rows, seed);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SYNTHETIC REES46-format month written to {args[0]}: {summary.Rows:N0} rows, {summary.Sessions:N0} source sessions, " +
            $"{summary.Users:N0} distinct users, {summary.ProductsSeen:N0} distinct products; views {summary.Views:N0}, carts {summary.Carts:N0}, " +
            $"purchases {summary.Purchases:N0}; {summary.First:yyyy-MM-dd HH:mm:ss}..{summary.Last:yyyy-MM-dd HH:mm:ss} UTC; " +
            $"{new FileInfo(args[0]).Length / 1e9:0.00} GB gzip in {clock.Elapsed.TotalSeconds:0} s."));
    }

    /// <summary>What was written.</summary>
    public sealed record Summary(long Rows, long Sessions, long Users, long ProductsSeen, long Views, long Carts, long Purchases, DateTime First, DateTime Last);

    /// <summary>Writes the file; see the type summary.</summary>
    public static Summary Write(string path, long rows, long seed)
    {
        var random = new SplitMix64((ulong)seed, 1);
        var catalogRandom = new SplitMix64((ulong)seed, 2);
        var catalog = new Catalog(ref catalogRandom);
        long sessionsPlanned = Math.Max(1, (long)(rows / MeanSessionLength));
        int userPool = (int)Math.Clamp(sessionsPlanned * UsersPerSession, 1, 60_000_000);
        var usersSeen = new bool[userPool];
        var productsSeen = new bool[Products];
        double meanArrivalTicks = Month.Ticks / (double)sessionsPlanned;

        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var writer = new StreamWriter(gzip, new UTF8Encoding(false), 1 << 20);
        writer.Write(Rees46CsvReader.ExpectedHeader);
        writer.Write('\n');

        var active = new PriorityQueue<ActiveSession, (long Ticks, long Order)>();
        long nextArrival = MonthStart.Ticks;
        long written = 0, sessions = 0, users = 0, productCount = 0, views = 0, carts = 0, purchases = 0, order = 0;
        long first = long.MaxValue, last = long.MinValue;
        var line = new char[512];
        while (written < rows)
        {
            bool arrival = active.Count == 0 || nextArrival <= active.Peek().NextTicks;
            if (arrival)
            {
                var session = StartSession(ref random, catalog, userPool, nextArrival);
                sessions++;
                if (!usersSeen[session.UserIndex])
                {
                    usersSeen[session.UserIndex] = true;
                    users++;
                }

                active.Enqueue(session, (session.NextTicks, order++));
                nextArrival += (long)random.NextExponential(meanArrivalTicks / DailyCycle(nextArrival));
                continue;
            }

            var s = active.Dequeue();
            var type = s.NextEvent(ref random, catalog);
            int n = FormatRow(line, s, catalog, type);
            writer.Write(line, 0, n);
            written++;
            first = Math.Min(first, s.NextTicks);
            last = Math.Max(last, s.NextTicks);
            if (!productsSeen[s.Product])
            {
                productsSeen[s.Product] = true;
                productCount++;
            }

            _ = type switch { "view" => views++, "cart" => carts++, _ => purchases++ };
            if (s.Advance(ref random))
            {
                active.Enqueue(s, (s.NextTicks, order++));
            }
        }

        return new Summary(written, sessions, users, productCount, views, carts, purchases,
            new DateTime(first, DateTimeKind.Utc), new DateTime(last, DateTimeKind.Utc));
    }

    /// <summary>Relative arrival rate by hour of day (night low, evening high); averages about 1.</summary>
    private static double DailyCycle(long ticks)
    {
        double hour = new DateTime(ticks, DateTimeKind.Utc).TimeOfDay.TotalHours;
        return 1.0 + 0.6 * Math.Sin(2 * Math.PI * (hour - 9) / 24);
    }

    private static ActiveSession StartSession(ref SplitMix64 random, Catalog catalog, int userPool, long startTicks)
    {
        int user = random.NextInt(userPool);
        // Heavy-tailed lengths: log-normal with mean MeanSessionLength (median about 3), at most 500 events.
        const double sigma = 1.0;
        double mu = Math.Log(MeanSessionLength) - sigma * sigma / 2;
        int length = (int)Math.Clamp(Math.Round(Math.Exp(mu + sigma * random.NextGaussian())), 1, 500);
        int product = catalog.PopularProduct(ref random);
        return new ActiveSession(user, Uuid(ref random), length, product, startTicks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond);
    }

    private static string Uuid(ref SplitMix64 random)
    {
        ulong a = random.NextUInt64(), b = random.NextUInt64();
        a = (a & 0xFFFFFFFFFFFF0FFFUL) | 0x0000000000004000UL; // version 4
        b = (b & 0x3FFFFFFFFFFFFFFFUL) | 0x8000000000000000UL; // variant 1
        return string.Create(CultureInfo.InvariantCulture, $"{a >> 32:x8}-{(a >> 16) & 0xFFFF:x4}-{a & 0xFFFF:x4}-{b >> 48:x4}-{b & 0xFFFFFFFFFFFFUL:x12}");
    }

    /// <summary>9-digit user ids, a bijection of the pool index (odd multiplier modulo 2^26) above 500,000,000.</summary>
    private static long UserId(int index) => 500_000_000L + ((index * 0x9E3779B1L) & ((1L << 26) - 1));

    private static int FormatRow(char[] line, ActiveSession s, Catalog catalog, string type)
    {
        var span = line.AsSpan();
        TimestampText.TryFormatRees46(new DateTime(s.NextTicks, DateTimeKind.Utc), span, out int n);
        span[n++] = ',';
        type.AsSpan().CopyTo(span[n..]);
        n += type.Length;
        span[n++] = ',';
        catalog.ProductId(s.Product).TryFormat(span[n..], out int w, default, CultureInfo.InvariantCulture);
        n += w;
        span[n++] = ',';
        int c = catalog.CategoryOf[s.Product];
        catalog.CategoryIds[c].TryFormat(span[n..], out w, default, CultureInfo.InvariantCulture);
        n += w;
        span[n++] = ',';
        n += Append(span[n..], catalog.CategoryCodes[c]);
        span[n++] = ',';
        n += Append(span[n..], catalog.BrandOf[s.Product] is int b and >= 0 ? catalog.BrandNames[b] : null);
        span[n++] = ',';
        catalog.Prices[s.Product].TryFormat(span[n..], out w, "F2", CultureInfo.InvariantCulture);
        n += w;
        span[n++] = ',';
        UserId(s.UserIndex).TryFormat(span[n..], out w, default, CultureInfo.InvariantCulture);
        n += w;
        span[n++] = ',';
        n += Append(span[n..], s.SourceSession);
        span[n++] = '\n';
        return n;
    }

    private static int Append(Span<char> destination, string? text)
    {
        if (text is null)
        {
            return 0;
        }

        text.AsSpan().CopyTo(destination);
        return text.Length;
    }

    /// <summary>A session in progress: who, the current product and cart, and when its next event happens.</summary>
    private sealed class ActiveSession(int userIndex, string sourceSession, int length, int product, long startTicks)
    {
        private readonly List<int> _viewed = [product];
        private readonly List<int> _cart = [];
        private int _emitted;
        private int _pendingPurchases;

        public int UserIndex { get; } = userIndex;

        public string SourceSession { get; } = sourceSession;

        public int Product { get; private set; } = product;

        public long NextTicks { get; private set; } = startTicks;

        /// <summary>Chooses the type (and product) of the event about to be written.</summary>
        public string NextEvent(ref SplitMix64 random, Catalog catalog)
        {
            if (_emitted == 0)
            {
                return "view";
            }

            if (_pendingPurchases > 0)
            {
                Product = _cart[^_pendingPurchases];
                if (--_pendingPurchases == 0)
                {
                    _cart.Clear();
                }

                return "purchase";
            }

            if (_cart.Count > 0 && random.Chance(0.30))
            {
                _pendingPurchases = _cart.Count - 1;
                Product = _cart[0];
                if (_pendingPurchases == 0)
                {
                    _cart.Clear();
                }

                return "purchase";
            }

            if (random.Chance(0.025) && !_cart.Contains(Product))
            {
                _cart.Add(Product);
                return "cart";
            }

            double choice = random.NextDouble();
            Product = choice < 0.30 ? _viewed[random.NextInt(_viewed.Count)]
                : choice < 0.75 ? catalog.SameCategory(Product, ref random)
                : catalog.PopularProduct(ref random);
            if (!_viewed.Contains(Product))
            {
                _viewed.Add(Product);
            }

            return "view";
        }

        /// <summary>Moves to the next event; false when the session is over.</summary>
        public bool Advance(ref SplitMix64 random)
        {
            _emitted++;
            if (_emitted >= length && _pendingPurchases == 0)
            {
                return false;
            }

            // Log-normal dwell, median 30 s, whole seconds, 1 s to 25 min (so the 30-minute rule does not cut inside).
            double seconds = Math.Clamp(Math.Round(random.NextLogNormal(30, 1.1)), 1, 25 * 60);
            NextTicks += (long)seconds * TimeSpan.TicksPerSecond;
            return true;
        }
    }

    /// <summary>Products with category, brand, price and Zipf popularity; categories with ids and codes; brand words.</summary>
    private sealed class Catalog
    {
        private readonly double[] _popularity;
        private readonly int[][] _byCategory;

        public Catalog(ref SplitMix64 random)
        {
            CategoryIds = new long[Categories];
            CategoryCodes = new string?[Categories];
            var categoryWeights = new double[Categories];
            var medianPrice = new double[Categories];
            for (int c = 0; c < Categories; c++)
            {
                CategoryIds[c] = 2_053_013_552_226_107_603L + c * 1_000_003_911L;
                CategoryCodes[c] = random.Chance(0.33) ? null : $"{Departments[random.NextInt(Departments.Length)]}.{Kinds[random.NextInt(Kinds.Length)]}";
                categoryWeights[c] = 1.0 / Math.Pow(c + 1, 1.1);
                medianPrice[c] = Math.Clamp(random.NextLogNormal(120, 1.1), 2, 2500);
            }

            BrandNames = new string[Brands];
            for (int b = 0; b < Brands; b++)
            {
                int k = (int)((b * 7919L + 13) % 32768); // a permutation of 0..32767, so names are unique
                string name = Syllables[k & 31] + Syllables[(k >> 5) & 31] + Syllables[(k >> 10) & 31];
                BrandNames[b] = b % 5 == 0 ? name[..4] + name[^1] : name;
            }

            // Brand names of 5 letters may repeat after trimming; make every name unique with a numeric suffix.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int b = 0; b < Brands; b++)
            {
                if (!seen.Add(BrandNames[b]))
                {
                    BrandNames[b] = string.Create(CultureInfo.InvariantCulture, $"{BrandNames[b]}{b}");
                    seen.Add(BrandNames[b]);
                }
            }

            var categoryCdf = Cdf(categoryWeights);
            CategoryOf = new int[Products];
            BrandOf = new int[Products];
            Prices = new float[Products];
            var members = new List<int>[Categories];
            for (int c = 0; c < Categories; c++)
            {
                members[c] = [];
            }

            for (int p = 0; p < Products; p++)
            {
                int c = Pick(categoryCdf, random.NextDouble());
                CategoryOf[p] = c;
                members[c].Add(p);
                BrandOf[p] = random.Chance(0.14) ? -1 : random.NextInt(Brands);
                Prices[p] = (float)Math.Round(Math.Max(0.77, medianPrice[c] * Math.Exp(0.6 * random.NextGaussian())), 2);
            }

            _byCategory = [.. members.Select(m => m.ToArray())];

            var weights = new double[Products];
            for (int p = 0; p < Products; p++)
            {
                weights[p] = 1.0 / Math.Pow(p + 1, 0.9);
            }

            _popularity = Cdf(weights);
        }

        public long[] CategoryIds { get; }

        public string?[] CategoryCodes { get; }

        public string[] BrandNames { get; }

        public int[] CategoryOf { get; }

        public int[] BrandOf { get; }

        public float[] Prices { get; }

        /// <summary>Product ids spread over 1,000,000..61,000,000 (7919 is prime and does not divide 60,000,000).</summary>
        public long ProductId(int product) => 1_000_000L + product * 7919L % 60_000_000L;

        public int PopularProduct(ref SplitMix64 random) => Pick(_popularity, random.NextDouble());

        /// <summary>Another product of the same category, favouring the category's more popular (lower-index) products.</summary>
        public int SameCategory(int product, ref SplitMix64 random)
        {
            var list = _byCategory[CategoryOf[product]];
            double u = random.NextDouble();
            return list[(int)(list.Length * u * u)];
        }

        private static double[] Cdf(double[] weights)
        {
            var cdf = new double[weights.Length];
            double sum = 0;
            for (int i = 0; i < weights.Length; i++)
            {
                sum += weights[i];
                cdf[i] = sum;
            }

            for (int i = 0; i < cdf.Length; i++)
            {
                cdf[i] /= sum;
            }

            return cdf;
        }

        private static int Pick(double[] cdf, double u)
        {
            int i = Array.BinarySearch(cdf, u);
            return Math.Min(cdf.Length - 1, i >= 0 ? i : ~i);
        }
    }
}
