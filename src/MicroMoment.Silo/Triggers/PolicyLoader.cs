using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MicroMoment.Scoring;

namespace MicroMoment.Silo.Triggers;

/// <summary>
/// Reads a policy file (YAML, or JSON for <c>.json</c>), validates every field and compiles it against a model's
/// clusters. Errors are <see cref="PolicyException"/>s naming the file, the line, the field path and what was expected;
/// no other exception comes out of parsing, whatever the text.
/// </summary>
public static class PolicyLoader
{
    private static readonly string[] RuleFields =
        ["name", "intent", "offer", "priority", "thresholds", "cart", "confirmation", "debounce", "cooldown", "caps", "campaign", "suppress", "consent"];

    /// <summary>The largest policy file read, in bytes (the shipped policy is about 2 KB).</summary>
    public const int MaxFileBytes = PolicyDocument.MaxChars;

    /// <summary>Loads and compiles the policy file at <paramref name="path"/>.</summary>
    /// <exception cref="PolicyException">The file cannot be read or used; the message names the file, the line and the reason.</exception>
    public static Policy LoadFile(string path, PolicyBinding binding) =>
        Parse(Decode(ReadBytes(path)), path, binding, IsJson(path));

    /// <summary>Parses and compiles policy text; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="PolicyException">The text cannot be used; the message names the source, the line and the reason.</exception>
    public static Policy Parse(string text, string source, PolicyBinding binding, bool json = false) => Parse(text, source, binding, json, runningVersion: null);

    /// <summary>
    /// Parses and compiles policy text that is to replace a running policy of version <paramref name="runningVersion"/>
    /// (refused when it carries the same version, since every offer names the policy version that fired it).
    /// Whatever goes wrong, the only exception is a <see cref="PolicyException"/> naming the line.
    /// </summary>
    internal static Policy Parse(string text, string source, PolicyBinding binding, bool json, string? runningVersion)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var document = PolicyDocument.Parse(text, source, json);
        try
        {
            return Compile(new Reader(document), document.Root, binding, runningVersion);
        }
        catch (Exception ex) when (ex is not PolicyException and not OutOfMemoryException)
        {
            // Every rule of the schema throws PolicyException itself; this keeps a gap in it from escaping as anything else.
            throw document.Error(PolicyDocument.RootPath, $"cannot be compiled ({ex.GetType().Name}: {ex.Message}); expected a policy as described in docs/triggers.md.", ex);
        }
    }

    /// <summary>True when <paramref name="path"/> names a JSON policy (by its extension); YAML otherwise.</summary>
    internal static bool IsJson(string path) => path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads a policy file's bytes, refusing one larger than <see cref="MaxFileBytes"/> before reading it whole.</summary>
    /// <exception cref="PolicyException">The file cannot be read, or is too large.</exception>
    internal static byte[] ReadBytes(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var bytes = new MemoryStream();
            var buffer = new byte[16 * 1024];
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                if (bytes.Length + n > MaxFileBytes)
                    throw new PolicyException(path, "(file)", $"is larger than {MaxFileBytes:N0} bytes; expected a policy file of ordinary size.");
                bytes.Write(buffer, 0, n);
            }

            return bytes.ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PolicyException(path, "(file)", $"cannot be read ({ex.Message}); expected a readable YAML or JSON policy file.");
        }
    }

    /// <summary>Decodes a policy file's bytes as UTF-8, or as the encoding its byte-order mark names (the mark is dropped).</summary>
    internal static string Decode(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static Policy Compile(Reader r, JsonNode? root, PolicyBinding binding, string? runningVersion)
    {
        var doc = r.Map(root, "(document)");
        r.Known(doc, "(document)", ["version", "maxOffersPerSession", "proposalTimeToLive", "offerMemory", "attributionWindow", "timeZone", "monitoring", "rules", "experiments"]);
        string version = r.Name(doc["version"], "version", required: true)!;
        int maxPerSession = r.Int(doc["maxOffersPerSession"], "maxOffersPerSession", 1, 1, 1000);
        var ttl = r.Duration(doc["proposalTimeToLive"], "proposalTimeToLive", TimeSpan.FromMinutes(2), positive: true);
        int memory = r.Int(doc["offerMemory"], "offerMemory", 8, 1, 1000);
        var window = r.Duration(doc["attributionWindow"], "attributionWindow", TimeSpan.FromMinutes(30), positive: true);
        var zone = TimeZoneInfo.Utc;
        if (r.Name(doc["timeZone"], "timeZone") is { } zoneId)
        {
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var found))
                throw r.Error("timeZone", $"is '{zoneId}'; expected a time zone id such as 'UTC' or 'Europe/Berlin'.");
            zone = found;
        }

        var monitoring = MonitoringLimits.Default;
        if (doc["monitoring"] is { } m)
        {
            var mo = r.Map(m, "monitoring");
            r.Known(mo, "monitoring", ["maxOffersPerSession", "maxFalseAlarmRate", "maxTriggerLatency", "minOffers"]);
            monitoring = new MonitoringLimits(
                r.Number(mo["maxOffersPerSession"], "monitoring.maxOffersPerSession", monitoring.MaxOffersPerSession, 0, 1000),
                r.Number(mo["maxFalseAlarmRate"], "monitoring.maxFalseAlarmRate", monitoring.MaxFalseAlarmRate, 0, 1),
                r.Duration(mo["maxTriggerLatency"], "monitoring.maxTriggerLatency", monitoring.MaxTriggerLatency, positive: true),
                r.Int(mo["minOffers"], "monitoring.minOffers", monitoring.MinOffers, 0, int.MaxValue));
        }

        var rulesArray = r.Array(doc["rules"], "rules", required: true)!;
        if (rulesArray.Count == 0) throw r.Error("rules", "is empty; expected at least one rule.");
        var rules = new List<PolicyRule>();
        for (int i = 0; i < rulesArray.Count; i++)
        {
            var rule = CompileRule(r, rulesArray[i], $"rules[{i}]", binding);
            if (rules.Any(x => x.Name == rule.Name)) throw r.Error($"rules[{i}].name", $"'{rule.Name}' is used by an earlier rule; expected unique rule names.");
            rules.Add(rule);
        }

        var experiments = new List<PolicyExperiment>();
        if (r.Array(doc["experiments"], "experiments") is { } exps)
        {
            for (int i = 0; i < exps.Count; i++)
            {
                var e = CompileExperiment(r, exps[i], $"experiments[{i}]", rules);
                if (experiments.Any(x => x.Name == e.Name)) throw r.Error($"experiments[{i}].name", $"'{e.Name}' is used by an earlier experiment; expected unique names.");
                experiments.Add(e);
            }
        }

        if (version == runningVersion)
            throw r.Error("version", $"is '{version}', the version of the running policy, but the content changed; expected a new version label, so that every offer names the policy that fired it.");
        return new Policy(version, r.Source, rules, experiments, binding, maxPerSession, ttl, memory, window, zone, monitoring);
    }

    private static PolicyRule CompileRule(Reader r, JsonNode? node, string at, PolicyBinding binding)
    {
        var o = r.Map(node, at);
        r.Known(o, at, RuleFields);
        string name = r.Name(o["name"], at + ".name", required: true)!;
        var intent = r.Enum(o["intent"], at + ".intent", ["buy", "research", "exit"], required: true) switch
        {
            0 => Intent.Buy,
            1 => Intent.Research,
            _ => Intent.Exit,
        };
        var offer = (OfferType)r.Enum(o["offer"], at + ".offer", ["popup", "discount", "recommendation", "assist"], required: true);
        var cart = (CartCondition)Math.Max(0, r.Enum(o["cart"], at + ".cart", ["any", "required", "absent"]));
        int priority = r.Int(o["priority"], at + ".priority", 0, -1000, 1000);

        float? defaultThreshold = null;
        var clusters = new Dictionary<string, float>(StringComparer.Ordinal);
        var th = r.Object(o["thresholds"], at + ".thresholds", required: true)!;
        r.Known(th, at + ".thresholds", ["default", "clusters"]);
        if (th["default"] is JsonValue dv && dv.TryGetValue(out string? s) && s == "model") defaultThreshold = null;
        else defaultThreshold = (float)r.Number(th["default"], at + ".thresholds.default", double.NaN, 1e-9, 1, required: true);
        if (r.Object(th["clusters"], at + ".thresholds.clusters") is { } cl)
        {
            foreach (var (cluster, value) in cl)
            {
                if (!binding.ClusterNames.Contains(cluster))
                    throw r.Error($"{at}.thresholds.clusters.{cluster}", $"names no cluster of the model; expected one of: {string.Join(", ", binding.ClusterNames)}.");
                clusters[cluster] = (float)r.Number(value, $"{at}.thresholds.clusters.{cluster}", double.NaN, 1e-9, 1, required: true);
            }
        }

        int k = 1, n = 1;
        var sustained = TimeSpan.Zero;
        if (r.Object(o["confirmation"], at + ".confirmation") is { } conf)
        {
            r.Known(conf, at + ".confirmation", ["k", "n", "sustained"]);
            n = r.Int(conf["n"], at + ".confirmation.n", 1, 1, 64);
            k = r.Int(conf["k"], at + ".confirmation.k", 1, 1, 64);
            if (k > n) throw r.Error(at + ".confirmation.k", $"is {k}; expected at most n ({n}).");
            sustained = r.Duration(conf["sustained"], at + ".confirmation.sustained", TimeSpan.Zero);
        }

        var debounce = r.Duration(o["debounce"], at + ".debounce", TimeSpan.Zero);
        var cooldown = TimeSpan.Zero;
        double backoff = 1;
        TimeSpan? maxCooldown = null;
        if (o["cooldown"] is JsonObject) 
        {
            var co = r.Object(o["cooldown"], at + ".cooldown")!;
            r.Known(co, at + ".cooldown", ["base", "backoff", "max"]);
            cooldown = r.Duration(co["base"], at + ".cooldown.base", TimeSpan.Zero);
            backoff = r.Number(co["backoff"], at + ".cooldown.backoff", 1, 1, 100);
            maxCooldown = r.Duration(co["max"], at + ".cooldown.max", TimeSpan.MaxValue);
            if (maxCooldown < cooldown) throw r.Error(at + ".cooldown.max", $"is {maxCooldown}; expected at least the base cooldown ({cooldown}).");
        }
        else
        {
            cooldown = r.Duration(o["cooldown"], at + ".cooldown", TimeSpan.Zero);
        }

        int perSession = 0, perDay = 0, perCampaign = 0;
        if (r.Object(o["caps"], at + ".caps") is { } caps)
        {
            r.Known(caps, at + ".caps", ["perSession", "perDay", "perCampaign"]);
            perSession = r.Int(caps["perSession"], at + ".caps.perSession", 0, 0, 1000);
            perDay = r.Int(caps["perDay"], at + ".caps.perDay", 0, 0, 1000);
            perCampaign = r.Int(caps["perCampaign"], at + ".caps.perCampaign", 0, 0, 1_000_000);
        }

        var contexts = new List<string>();
        bool afterPurchase = false;
        if (r.Object(o["suppress"], at + ".suppress") is { } sup)
        {
            r.Known(sup, at + ".suppress", ["contexts", "afterPurchase"]);
            if (r.Array(sup["contexts"], at + ".suppress.contexts") is { } list)
            {
                for (int i = 0; i < list.Count; i++) contexts.Add(r.Name(list[i], $"{at}.suppress.contexts[{i}]", required: true)!.ToLowerInvariant());
            }

            afterPurchase = r.Bool(sup["afterPurchase"], at + ".suppress.afterPurchase", false);
        }

        string? consent = ConsentCategories.Offers;
        if (o["consent"] is { } consentNode)
        {
            // Case-insensitive like every other keyword of the file; "none": the rule needs no consent.
            string? value = r.Name(consentNode, at + ".consent")!.ToLowerInvariant();
            if (value == ConsentCategories.None) consent = null;
            else if (!ConsentCategories.IsValid(value))
                throw r.Error(at + ".consent", $"is {Reader.Show(consentNode)}; expected none or a consent category: {ConsentCategories.Expected}.");
            else consent = value == ConsentCategories.Offers ? ConsentCategories.Offers : string.Intern(value);
        }

        return new PolicyRule
        {
            Name = name, Intent = intent, Offer = offer, Cart = cart, Priority = priority,
            DefaultThreshold = defaultThreshold, ClusterThresholds = clusters,
            ConfirmK = k, ConfirmN = n, Sustained = sustained, Debounce = debounce,
            Cooldown = cooldown, Backoff = backoff, MaxCooldown = maxCooldown ?? cooldown,
            MaxPerSession = perSession, MaxPerDay = perDay, MaxPerCampaign = perCampaign,
            Campaign = r.Name(o["campaign"], at + ".campaign") ?? name,
            SuppressContexts = contexts, SuppressAfterPurchase = afterPurchase, Consent = consent,
        };
    }

    private static PolicyExperiment CompileExperiment(Reader r, JsonNode? node, string at, List<PolicyRule> rules)
    {
        var o = r.Map(node, at);
        r.Known(o, at, ["name", "holdout", "variants", "rules"]);
        string name = r.Name(o["name"], at + ".name", required: true)!;
        double holdout = r.Number(o["holdout"], at + ".holdout", 0, 0, 0.99);
        List<string>? RuleList(JsonNode? n, string path)
        {
            if (r.Array(n, path) is not { } a) return null;
            var names = new List<string>();
            for (int i = 0; i < a.Count; i++)
            {
                string rule = r.Name(a[i], $"{path}[{i}]", required: true)!;
                if (!rules.Any(x => x.Name == rule)) throw r.Error($"{path}[{i}]", $"'{rule}' names no rule; expected one of: {string.Join(", ", rules.Select(x => x.Name))}.");
                names.Add(rule);
            }

            return names;
        }

        var governed = RuleList(o["rules"], at + ".rules");
        var variants = new List<ExperimentVariant>();
        var array = r.Array(o["variants"], at + ".variants", required: true)!;
        if (array.Count == 0) throw r.Error(at + ".variants", "is empty; expected at least one variant.");
        for (int i = 0; i < array.Count; i++)
        {
            string vat = $"{at}.variants[{i}]";
            var v = r.Map(array[i], vat);
            r.Known(v, vat, ["name", "weight", "rules"]);
            string vname = r.Name(v["name"], vat + ".name", required: true)!;
            if (vname == "holdout" || variants.Any(x => x.Name == vname)) throw r.Error(vat + ".name", $"'{vname}' is taken; expected a unique variant name other than 'holdout'.");
            var enabled = RuleList(v["rules"], vat + ".rules");
            if (enabled is not null && governed is not null && enabled.FirstOrDefault(x => !governed.Contains(x)) is { } stray)
                throw r.Error(vat + ".rules", $"enables '{stray}', which the experiment does not govern; expected rules from {at}.rules.");
            variants.Add(new ExperimentVariant(vname, r.Number(v["weight"], vat + ".weight", 1, 1e-9, 1e9), enabled));
        }

        return new PolicyExperiment(name, holdout, variants, governed);
    }

    /// <summary>Typed, path-aware access to a parsed document.</summary>
    private sealed class Reader(PolicyDocument document)
    {
        public string Source => document.Source;

        public PolicyException Error(string field, string problem) => document.Error(field, problem);

        public JsonObject Map(JsonNode? node, string at) => Object(node, at, required: true)!;

        public JsonObject? Object(JsonNode? node, string at, bool required = false) => node switch
        {
            JsonObject o => o,
            null when !required => null,
            null => throw Error(at, "is missing; expected a mapping."),
            _ => throw Error(at, $"is {Show(node)}; expected a mapping."),
        };

        public JsonArray? Array(JsonNode? node, string at, bool required = false) => node switch
        {
            JsonArray a => a,
            null when !required => null,
            null => throw Error(at, "is missing; expected a list."),
            _ => throw Error(at, $"is {Show(node)}; expected a list."),
        };

        public void Known(JsonObject o, string at, string[] fields)
        {
            foreach (var (key, _) in o)
            {
                if (System.Array.IndexOf(fields, key) < 0)
                    throw Error(at == "(document)" ? key : $"{at}.{key}", $"is not a known field; expected one of: {string.Join(", ", fields)}.");
            }
        }

        public string? Name(JsonNode? node, string at, bool required = false)
        {
            if (node is null)
                return required ? throw Error(at, "is missing; expected a name.") : null;
            string? s = Text(node);
            if (string.IsNullOrWhiteSpace(s)) throw Error(at, $"is {Show(node)}; expected a non-empty name.");
            return s.Trim();
        }

        public int Enum(JsonNode? node, string at, string[] allowed, bool required = false)
        {
            if (node is null) return required ? throw Error(at, $"is missing; expected one of: {string.Join(", ", allowed)}.") : -1;
            string? s = Text(node)?.Trim().ToLowerInvariant();
            int i = s is null ? -1 : System.Array.IndexOf(allowed, s);
            return i >= 0 ? i : throw Error(at, $"is {Show(node)}; expected one of: {string.Join(", ", allowed)}.");
        }

        public double Number(JsonNode? node, string at, double fallback, double min, double max, bool required = false)
        {
            if (node is null) return required ? throw Error(at, $"is missing; expected a number from {min} to {max}.") : fallback;
            double v = double.NaN;
            if (node is JsonValue value && !value.TryGetValue(out v))
            {
                v = value.TryGetValue(out string? s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double p) ? p : double.NaN;
            }

            if (!double.IsFinite(v) || v < min || v > max) throw Error(at, $"is {Show(node)}; expected a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}.");
            return v;
        }

        public int Int(JsonNode? node, string at, int fallback, int min, int max)
        {
            double v = Number(node, at, fallback, min, max);
            return v == Math.Floor(v) ? (int)v : throw Error(at, $"is {Show(node)}; expected a whole number from {min} to {max}.");
        }

        public bool Bool(JsonNode? node, string at, bool fallback)
        {
            if (node is null) return fallback;
            if (node is JsonValue v && v.TryGetValue(out bool b)) return b;
            return Text(node)?.Trim().ToLowerInvariant() switch
            {
                "true" or "yes" => true,
                "false" or "no" => false,
                _ => throw Error(at, $"is {Show(node)}; expected true or false."),
            };
        }

        public TimeSpan Duration(JsonNode? node, string at, TimeSpan fallback, bool positive = false)
        {
            if (node is null) return fallback;
            string? s = Text(node)?.Trim();
            if (s is null || !TryDuration(s, out var d) || d < TimeSpan.Zero || (positive && d == TimeSpan.Zero))
                throw Error(at, $"is {Show(node)}; expected a {(positive ? "positive" : "non-negative")} duration such as 500ms, 30s, 5m, 2h or 1d.");
            return d;
        }

        private static string? Text(JsonNode node) => node is JsonValue v
            ? v.TryGetValue(out string? s) ? s : v.ToJsonString()
            : null;

        internal static string Show(JsonNode? node) => node switch
        {
            null => "missing",
            JsonObject => "a mapping",
            JsonArray => "a list",
            _ => $"'{Text(node)}'",
        };
    }

    /// <summary>Parses 500ms, 30s, 5m, 2h, 1d (or a plain TimeSpan such as 00:05:00).</summary>
    public static bool TryDuration(string text, out TimeSpan duration)
    {
        duration = default;
        (string suffix, double ticks)[] units = [("ms", TimeSpan.TicksPerMillisecond), ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour), ("d", TimeSpan.TicksPerDay)];
        foreach (var (suffix, ticks) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && !(suffix == "s" && text.EndsWith("ms", StringComparison.OrdinalIgnoreCase))
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out double n) && double.IsFinite(n) && Math.Abs(n * ticks) < long.MaxValue / 2)
            {
                duration = TimeSpan.FromTicks((long)Math.Round(n * ticks));
                return true;
            }
        }

        return text.Contains(':') && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
    }
}
