using System.Globalization;
using MicroMoment.Events;
using MicroMoment.Numerics;

namespace MicroMoment.Data;

/// <summary>
/// Clearly labelled synthetic clickstream for machines without a real log: tenant "synthetic", users "syn-...",
/// brands "synbrand-...". Shoppers belong to personas (<see cref="ShopperPersona"/>) and browse a generated catalogue
/// (categories with their own price levels) in sessions separated by more than 30 minutes, with log-normal dwell gaps,
/// product and category revisits, carts, removals and purchases. Purchases depend on behaviour and on its order: a
/// shopper who carts a product and later comes back to look at it is far more likely to buy than one who only carts.
/// About 3-5% of sessions contain a purchase with the default options. Deterministic for given options.
/// </summary>
public static class SyntheticTraffic
{
    /// <summary>The tenant of every synthetic event.</summary>
    public const string Tenant = "synthetic";

    /// <summary>Prefix of synthetic user ids; the persona follows, e.g. "syn-intent-000042".</summary>
    public const string UserPrefix = "syn-";

    private static readonly string[] PersonaCodes = ["browser", "comparer", "intent", "impulse"];

    private static readonly string[] BaseCategoryCodes =
    [
        "electronics.smartphone", "electronics.audio.headphone", "appliances.kitchen.kettle", "computers.notebook",
        "apparel.shoes", "furniture.living_room.sofa", "kids.toys", "electronics.video.tv", "sport.bicycle",
        "beauty.skincare", "appliances.environment.vacuum", "computers.peripherals.mouse", "auto.accessories.player",
        "construction.tools.drill", "accessories.bag", "appliances.kitchen.refrigerators", "furniture.bedroom.bed",
        "apparel.shirt", "stationery.cartrige", "country_yard.lawn_mower", "electronics.clocks", "appliances.iron",
        "medicine.tools.tonometer", "electronics.camera.video",
    ];

    private static readonly string[] Referrers = ["search", "direct", "social", "email", "ads"];
    private static readonly double[] ReferrerWeights = [0.35, 0.25, 0.15, 0.10, 0.15];

    private static readonly Profile[] Profiles =
    [
        // Passive browsers: short, scattered, rarely cart, almost never buy.
        new(MedianDwellSeconds: 25, DwellSigma: 1.0, EndProbability: 0.28, RevisitProbability: 0.10, CategoryFocus: 0.40,
            CartBase: 0.015, CartPerExtraView: 0.3, CheapPreference: 0.0, RemoveProbability: 0.25, BuyBase: 0.04,
            BuyAfterRevisitFactor: 3.0, CartedRevisitPreference: 0.3),

        // Comparison seekers: long focused sessions, many revisits; cart after comparing, buy after coming back.
        new(MedianDwellSeconds: 45, DwellSigma: 0.9, EndProbability: 0.075, RevisitProbability: 0.45, CategoryFocus: 0.85,
            CartBase: 0.011, CartPerExtraView: 0.6, CheapPreference: 0.3, RemoveProbability: 0.08, BuyBase: 0.025,
            BuyAfterRevisitFactor: 6.0, CartedRevisitPreference: 0.5),

        // Purchase intent: focused, carts readily, returns to the carted product and often buys.
        new(MedianDwellSeconds: 35, DwellSigma: 0.8, EndProbability: 0.10, RevisitProbability: 0.30, CategoryFocus: 0.90,
            CartBase: 0.06, CartPerExtraView: 0.5, CheapPreference: 0.0, RemoveProbability: 0.04, BuyBase: 0.055,
            BuyAfterRevisitFactor: 5.0, CartedRevisitPreference: 0.7),

        // Impulsive buyers: fast, cheap items, cart quickly and buy right away or not at all.
        new(MedianDwellSeconds: 12, DwellSigma: 0.9, EndProbability: 0.20, RevisitProbability: 0.10, CategoryFocus: 0.60,
            CartBase: 0.045, CartPerExtraView: 0.2, CheapPreference: 1.0, RemoveProbability: 0.10, BuyBase: 0.11,
            BuyAfterRevisitFactor: 2.0, CartedRevisitPreference: 0.5),
    ];

    /// <summary>Generates the traffic lazily, in time order (ties by user), as events of tenant <see cref="Tenant"/>.</summary>
    public static IEnumerable<ClickEvent> Generate(SyntheticTrafficOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return GenerateCore(options);
    }

    /// <summary>Writes the same events as <see cref="Generate"/> as a REES46 CSV (header included); returns the number of rows.</summary>
    /// <remarks>The REES46 format has no context columns, so device, platform, referrer and page are not written.</remarks>
    public static long WriteRees46Csv(TextWriter writer, SyntheticTrafficOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        writer.Write(Rees46CsvReader.ExpectedHeader);
        writer.Write('\n');
        Span<char> scratch = stackalloc char[64];
        long rows = 0;
        foreach (var e in GenerateCore(options))
        {
            TimestampText.TryFormatRees46(e.Timestamp, scratch, out int n);
            writer.Write(scratch[..n]);
            writer.Write(',');
            WriteField(writer, e.Type == EventType.Other ? e.RawType ?? "other" : EventTypes.Name(e.Type));
            writer.Write(',');
            e.ProductId.TryFormat(scratch, out n, default, CultureInfo.InvariantCulture);
            writer.Write(scratch[..n]);
            writer.Write(',');
            e.CategoryId.TryFormat(scratch, out n, default, CultureInfo.InvariantCulture);
            writer.Write(scratch[..n]);
            writer.Write(',');
            WriteField(writer, e.CategoryCode);
            writer.Write(',');
            WriteField(writer, e.Brand);
            writer.Write(',');
            if (float.IsFinite(e.Price))
            {
                e.Price.TryFormat(scratch, out n, "F2", CultureInfo.InvariantCulture);
                writer.Write(scratch[..n]);
            }

            writer.Write(',');
            WriteField(writer, e.UserId);
            writer.Write(',');
            WriteField(writer, e.SourceSession);
            writer.Write('\n');
            rows++;
        }

        return rows;
    }

    /// <summary>Reads the persona back from a synthetic user id (e.g. "syn-intent-000042"), for evaluating models on synthetic data.</summary>
    public static bool TryGetPersona(string? userId, out ShopperPersona persona)
    {
        persona = default;
        if (userId is null || !userId.StartsWith(UserPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = userId.AsSpan(UserPrefix.Length);
        int dash = rest.IndexOf('-');
        if (dash < 0)
        {
            return false;
        }

        int index = Array.IndexOf(PersonaCodes, rest[..dash].ToString());
        if (index < 0)
        {
            return false;
        }

        persona = (ShopperPersona)index;
        return true;
    }

    private static IEnumerable<ClickEvent> GenerateCore(SyntheticTrafficOptions options)
    {
        var catalog = new Catalog(options);
        var window = options.Duration.Ticks;
        var queue = new PriorityQueue<int, (long Ticks, int User)>(Math.Min(options.Users, 1 << 20));
        for (int u = 0; u < options.Users; u++)
        {
            var startRandom = new SplitMix64((ulong)options.Seed, unchecked((ulong)(-1 - (long)u)));
            long first = options.Start.Ticks + (long)(startRandom.NextDouble() * window) / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond;
            queue.Enqueue(u, (first, u));
        }

        // Shoppers are created when their first session starts and dropped after their last one, and only the
        // current session of each is held, so memory stays proportional to the number of shoppers.
        var shoppers = new Shopper?[options.Users];
        while (queue.TryDequeue(out int user, out var key))
        {
            var shopper = shoppers[user] ??= CreateShopper(user, key.Ticks, options, catalog);
            var evt = shopper.Events[shopper.Next++];
            if (shopper.Next == shopper.Events.Count && !StartNextSession(shopper, options, catalog))
            {
                shoppers[user] = null;
            }
            else
            {
                queue.Enqueue(user, (shopper.Events[shopper.Next].Timestamp.Ticks, user));
            }

            yield return evt;
        }
    }

    private static Shopper CreateShopper(int user, long firstStartTicks, SyntheticTrafficOptions options, Catalog catalog)
    {
        var random = new SplitMix64((ulong)options.Seed, (ulong)user + 1);
        ReadOnlySpan<double> personaShares =
            [options.PassiveBrowserShare, options.ComparisonSeekerShare, options.PurchaseIntentShare, options.ImpulsiveBuyerShare];
        var persona = (ShopperPersona)random.NextWeighted(personaShares);
        string userId = $"{UserPrefix}{PersonaCodes[(int)persona]}-{user:D6}";

        string device = random.NextWeighted([0.60, 0.33, 0.07]) switch { 0 => "mobile", 1 => "desktop", _ => "tablet" };
        string platform = device switch
        {
            "desktop" => "web",
            "mobile" => random.NextWeighted([0.5, 0.3, 0.2]) switch { 0 => "web", 1 => "android", _ => "ios" },
            _ => random.Chance(0.6) ? "web" : "ios",
        };

        var favourites = new int[1 + random.NextInt(3)];
        for (int i = 0; i < favourites.Length; i++)
        {
            favourites[i] = catalog.PickCategory(ref random);
        }

        int sessions = 1 + random.NextPoisson(options.MeanSessionsPerUser - 1);
        // The shopper takes over the generator's state here; the local copy is not used again.
        var shopper = new Shopper(userId, Profiles[(int)persona], device, platform, favourites, random, sessions)
        {
            MeanGapTicks = Math.Max(TimeSpan.FromHours(2).Ticks, options.Duration.Ticks / (double)(sessions + 1)),
        };
        SimulateSession(shopper, firstStartTicks, options.IncludeContext, catalog);
        return shopper;
    }

    /// <summary>Simulates the shopper's next session if one is left and starts inside the window.</summary>
    private static bool StartNextSession(Shopper shopper, SyntheticTrafficOptions options, Catalog catalog)
    {
        if (shopper.SessionIndex + 1 >= shopper.Sessions)
        {
            return false;
        }

        long gap = TimeSpan.FromMinutes(30).Ticks + TimeSpan.TicksPerSecond + (long)shopper.Random.NextExponential(shopper.MeanGapTicks);
        long start = shopper.Events[^1].Timestamp.Ticks + gap / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond;
        if (start >= options.Start.Ticks + options.Duration.Ticks)
        {
            return false;
        }

        shopper.SessionIndex++;
        SimulateSession(shopper, start, options.IncludeContext, catalog);
        return true;
    }

    /// <summary>Replaces the shopper's current events with a new session starting at <paramref name="startTicks"/>.</summary>
    private static void SimulateSession(Shopper user, long startTicks, bool includeContext, Catalog catalog)
    {
        ref SplitMix64 random = ref user.Random;
        var events = user.Events;
        events.Clear();
        user.Next = 0;
        string sessionId = $"{user.UserId}-s{user.SessionIndex:D3}";
        var profile = user.Profile;
        string referrer = Referrers[random.NextWeighted(ReferrerWeights)];
        double mood = Math.Exp(0.6 * random.NextGaussian()); // how keen the shopper is today
        var viewed = new List<(int Product, int Views)>();
        var cart = new List<int>();
        long t = startTicks;
        int category = random.Chance(profile.CategoryFocus) ? user.Favourites[random.NextInt(user.Favourites.Length)] : catalog.PickCategory(ref random);

        void Emit(EventType type, int product, string page)
        {
            var context = includeContext ? new EventContext(user.Device, user.Platform, referrer, page) : default;
            events.Add(new ClickEvent(
                Tenant, user.UserId, new DateTime(t, DateTimeKind.Utc), type, catalog.ProductIds[product],
                catalog.CategoryIds[catalog.CategoryOf(product)], catalog.CategoryCodes[catalog.CategoryOf(product)],
                catalog.Brands[product], catalog.Prices[product], context, SourceSession: sessionId));
        }

        void View(int product)
        {
            int i = viewed.FindIndex(v => v.Product == product);
            if (i < 0)
            {
                viewed.Add((product, 1));
            }
            else
            {
                viewed[i] = (product, viewed[i].Views + 1);
            }

            Emit(EventType.View, product, "product");
        }

        int current = catalog.PickProduct(category, ref random, profile.CheapPreference);
        View(current);
        var last = EventType.View;
        bool lastWasCartedRevisit = false;
        for (int step = 1; step < 300; step++)
        {
            if (random.Chance(profile.EndProbability))
            {
                return;
            }

            t += DwellTicks(ref random, profile.MedianDwellSeconds, profile.DwellSigma);
            if (cart.Count > 0)
            {
                // Order matters: coming back to a carted product is the strongest purchase signal, a cart right
                // before is a weaker one, and anything else (browsing on with a cart) a weak one.
                double factor = lastWasCartedRevisit ? profile.BuyAfterRevisitFactor : last == EventType.Cart ? 1.0 : 0.3;
                if (random.Chance(Math.Min(0.95, profile.BuyBase * factor * mood)))
                {
                    foreach (int product in cart)
                    {
                        Emit(EventType.Purchase, product, "checkout");
                        t += TimeSpan.TicksPerSecond * (1 + random.NextInt(3));
                    }

                    cart.Clear();
                    if (random.Chance(0.8))
                    {
                        return;
                    }

                    last = EventType.Purchase;
                    lastWasCartedRevisit = false;
                    continue;
                }

                if (random.Chance(profile.RemoveProbability))
                {
                    int removed = random.NextInt(cart.Count);
                    Emit(EventType.RemoveFromCart, cart[removed], "cart");
                    cart.RemoveAt(removed);
                    last = EventType.RemoveFromCart;
                    lastWasCartedRevisit = false;
                    continue;
                }
            }

            if (last == EventType.View && !cart.Contains(current))
            {
                int views = viewed.Find(v => v.Product == current).Views;
                double cheap = catalog.IsCheap(current) ? 1.0 + profile.CheapPreference : 1.0 - 0.5 * profile.CheapPreference;
                double pCart = profile.CartBase * (1 + profile.CartPerExtraView * (views - 1)) * cheap * mood;
                if (random.Chance(Math.Min(0.9, pCart)))
                {
                    Emit(EventType.Cart, current, "cart");
                    cart.Add(current);
                    last = EventType.Cart;
                    lastWasCartedRevisit = false;
                    continue;
                }
            }

            if (viewed.Count > 1 && random.Chance(profile.RevisitProbability))
            {
                current = cart.Count > 0 && random.Chance(profile.CartedRevisitPreference)
                    ? cart[random.NextInt(cart.Count)]
                    : viewed[random.NextInt(viewed.Count)].Product;
            }
            else
            {
                if (!random.Chance(profile.CategoryFocus))
                {
                    category = random.Chance(0.5) ? user.Favourites[random.NextInt(user.Favourites.Length)] : catalog.PickCategory(ref random);
                }

                current = catalog.PickProduct(category, ref random, profile.CheapPreference);
            }

            lastWasCartedRevisit = cart.Contains(current);
            View(current);
            last = EventType.View;
        }
    }

    /// <summary>A log-normal dwell gap in whole seconds, at least 1 s and at most 25 minutes (so sessions never split inside).</summary>
    private static long DwellTicks(ref SplitMix64 random, double medianSeconds, double sigma)
    {
        double seconds = Math.Clamp(Math.Round(random.NextLogNormal(medianSeconds, sigma)), 1, 25 * 60);
        return (long)seconds * TimeSpan.TicksPerSecond;
    }

    private static void WriteField(TextWriter writer, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            writer.Write(value);
            return;
        }

        writer.Write('"');
        writer.Write(value.Replace("\"", "\"\""));
        writer.Write('"');
    }

    /// <summary>Behaviour parameters of a persona (probabilities per step).</summary>
    private readonly record struct Profile(
        double MedianDwellSeconds,
        double DwellSigma,
        double EndProbability,
        double RevisitProbability,
        double CategoryFocus,
        double CartBase,
        double CartPerExtraView,
        double CheapPreference,
        double RemoveProbability,
        double BuyBase,
        double BuyAfterRevisitFactor,
        double CartedRevisitPreference);

    /// <summary>A shopper: fixed traits, its own random stream, and the session being replayed.</summary>
    private sealed class Shopper(string userId, Profile profile, string device, string platform, int[] favourites, SplitMix64 random, int sessions)
    {
        public string UserId { get; } = userId;

        public Profile Profile { get; } = profile;

        public string Device { get; } = device;

        public string Platform { get; } = platform;

        public int[] Favourites { get; } = favourites;

        /// <summary>The shopper's own generator; a field so that draws through it advance this one state.</summary>
        public SplitMix64 Random = random;

        public int Sessions { get; } = sessions;

        public double MeanGapTicks { get; init; }

        public int SessionIndex { get; set; }

        public List<ClickEvent> Events { get; } = [];

        public int Next { get; set; }
    }

    /// <summary>The generated catalogue: categories with price levels and popularity, products with prices and brands.</summary>
    private sealed class Catalog
    {
        private readonly int _perCategory;
        private readonly double[] _categoryWeights;
        private readonly double[] _productWeights;
        private readonly double[] _cheapProductWeights;
        private readonly float[] _categoryMedianPrice;

        public Catalog(SyntheticTrafficOptions options)
        {
            var random = new SplitMix64((ulong)options.Seed, unchecked((ulong)long.MinValue));
            int categories = options.Categories;
            _perCategory = options.ProductsPerCategory;
            CategoryIds = new long[categories];
            CategoryCodes = new string?[categories];
            _categoryWeights = new double[categories];
            _categoryMedianPrice = new float[categories];
            for (int c = 0; c < categories; c++)
            {
                CategoryIds[c] = 2_000_000_000_000L + c;
                string code = BaseCategoryCodes[c % BaseCategoryCodes.Length];
                CategoryCodes[c] = c % 9 == 8 ? null : c < BaseCategoryCodes.Length ? code : $"{code}.v{c / BaseCategoryCodes.Length}";
                _categoryWeights[c] = 1.0 / Math.Pow(c + 1, 0.8);
                _categoryMedianPrice[c] = (float)Math.Clamp(random.NextLogNormal(80, 1.0), 3, 3000);
            }

            int products = categories * _perCategory;
            ProductIds = new long[products];
            Prices = new float[products];
            Brands = new string?[products];
            for (int p = 0; p < products; p++)
            {
                int c = p / _perCategory;
                ProductIds[p] = 100_000L + c * 10_000L + p % _perCategory;
                double price = Math.Max(0.5, _categoryMedianPrice[c] * Math.Exp(0.45 * random.NextGaussian()));
                Prices[p] = (float)Math.Round(price, 2);
                Brands[p] = random.Chance(0.1) ? null : $"synbrand-{c:D3}{(char)('a' + random.NextInt(4))}";
            }

            _productWeights = new double[_perCategory];
            _cheapProductWeights = new double[products];
            for (int k = 0; k < _perCategory; k++)
            {
                _productWeights[k] = 1.0 / Math.Pow(k + 1, 0.7);
            }

            for (int p = 0; p < products; p++)
            {
                _cheapProductWeights[p] = _productWeights[p % _perCategory] * (IsCheap(p) ? 3.0 : 1.0);
            }
        }

        public long[] ProductIds { get; }

        public float[] Prices { get; }

        public string?[] Brands { get; }

        public long[] CategoryIds { get; }

        public string?[] CategoryCodes { get; }

        public int CategoryOf(int product) => product / _perCategory;

        public bool IsCheap(int product) => Prices[product] < _categoryMedianPrice[CategoryOf(product)];

        public int PickCategory(ref SplitMix64 random) => random.NextWeighted(_categoryWeights);

        public int PickProduct(int category, ref SplitMix64 random, double cheapPreference)
        {
            var weights = cheapPreference > 0 && random.Chance(cheapPreference)
                ? _cheapProductWeights.AsSpan(category * _perCategory, _perCategory)
                : _productWeights.AsSpan();
            return category * _perCategory + random.NextWeighted(weights);
        }
    }
}
