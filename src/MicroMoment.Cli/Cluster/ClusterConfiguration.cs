using System.Reflection;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

namespace MicroMoment.Cli.Cluster;

/// <summary>
/// The configuration of <c>micromoment silo</c> and <c>micromoment gateway</c>, in ASP.NET Core's order (later wins):
/// appsettings.json and appsettings.{Environment}.json in the working directory, environment variables prefixed
/// <see cref="EnvironmentPrefix"/> (<c>MICROMOMENT__Cluster__ClusterId</c> is <c>Cluster:ClusterId</c>), then the
/// command line (<c>--Cluster:ClusterId=prod</c> or <c>--Cluster:ClusterId prod</c>).
/// </summary>
public static class ClusterConfiguration
{
    /// <summary>The prefix of the environment variables read as configuration (stripped; "__" separates sections).</summary>
    public const string EnvironmentPrefix = "MICROMOMENT__";

    /// <summary>Orleans' membership timing (probe timeout, missed probes, votes, table refresh): bound to <c>ClusterMembershipOptions</c>.</summary>
    public const string MembershipSection = "Cluster:Membership";

    /// <summary>Environment variables the program (or a library it hosts) reads directly, outside the configuration.</summary>
    public static readonly IReadOnlyList<string> DirectVariables =
    [
        Commands.ServeCommand.ServerKeyVariable, Commands.ServeCommand.PublishableKeyVariable, "DOTNET_ENVIRONMENT", "ASPNETCORE_ENVIRONMENT", "NO_COLOR",
        // Orleans' Kubernetes hosting (Cluster:Kubernetes=true) reads the pod's identity from these (set by the Deployment's downward API).
        "POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID",
    ];

    /// <summary>Builds the configuration from the working directory's appsettings files, the environment and <paramref name="args"/>.</summary>
    /// <exception cref="FormatException">An argument is not --key=value or --key value, or an appsettings file is not JSON.</exception>
    public static IConfigurationRoot Build(IEnumerable<string> args, string? basePath = null)
    {
        string environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production";
        return new ConfigurationBuilder()
            .SetBasePath(basePath ?? Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables(EnvironmentPrefix)
            .AddCommandLine([.. args])
            .Build();
    }

    /// <summary>Reads and validates the cluster section.</summary>
    /// <exception cref="ArgumentException">A setting is wrong (the message names it).</exception>
    public static ClusterSettings Cluster(IConfiguration configuration)
    {
        var settings = Bind<ClusterSettings>(configuration, ClusterSettings.SectionName);
        settings.Validate();
        return settings;
    }

    /// <summary>Binds a section, turning the binder's conversion errors into a message that names the key.</summary>
    /// <exception cref="ArgumentException">A value cannot be converted (the message names the key and the value).</exception>
    public static T Bind<T>(IConfiguration configuration, string section)
        where T : new()
    {
        var value = new T();
        try
        {
            configuration.GetSection(section).Bind(value, o => o.ErrorOnUnknownConfiguration = false);
        }
        catch (InvalidOperationException ex)
        {
            throw new ArgumentException($"The {section} configuration has a value of the wrong type: {ex.InnerException?.Message ?? ex.Message}", ex);
        }

        return value;
    }

    /// <summary>
    /// Every configuration key the two commands read (sections, properties; an array's elements as <c>:0</c>), for
    /// checking that deployment files set nothing the program ignores.
    /// </summary>
    public static IReadOnlySet<string> KnownKeys()
    {
        var keys = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        AddKeys(keys, ClusterSettings.SectionName, typeof(ClusterSettings));
        AddKeys(keys, MembershipSection, typeof(ClusterMembershipOptions));
        AddKeys(keys, StorageSettings.SectionName, typeof(StorageSettings));
        AddKeys(keys, SiloProcessSettings.SectionName, typeof(SiloProcessSettings));
        AddKeys(keys, TelemetrySettings.SectionName, typeof(TelemetrySettings));
        AddKeys(keys, Gateway.GatewayOptions.SectionName, typeof(Gateway.GatewayOptions));
        return keys;
    }

    /// <summary>The configuration key of a prefixed environment variable (<c>MICROMOMENT__Cluster__ClusterId</c> → <c>Cluster:ClusterId</c>), or null for another variable.</summary>
    public static string? KeyOfVariable(string variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        return variable.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) ? variable[EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal) : null;
    }

    /// <summary>True when the program reads <paramref name="key"/> (array indices may be any number).</summary>
    public static bool IsKnownKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var normalized = string.Join(':', key.Split(':').Select(part => part.Length > 0 && part.All(char.IsAsciiDigit) ? "0" : part));
        return KnownKeys().Contains(normalized);
    }

    private static void AddKeys(SortedSet<string> keys, string prefix, Type type, int depth = 0)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true } && !IsCollection(property.PropertyType)) continue;
            if (property.GetIndexParameters().Length > 0) continue;
            string key = $"{prefix}:{property.Name}";
            var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsScalar(t))
            {
                keys.Add(key);
            }
            else if (ElementType(t) is { } element)
            {
                keys.Add(key);
                if (IsScalar(element)) keys.Add(key + ":0");
                else if (depth < 3) AddKeys(keys, key + ":0", element, depth + 1);
            }
            else if (depth < 3 && t.IsClass && !typeof(Delegate).IsAssignableFrom(t))
            {
                AddKeys(keys, key, t, depth + 1);
            }
        }
    }

    private static bool IsScalar(Type t) =>
        t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan) || t == typeof(DateTime) || t == typeof(DateTimeOffset) || t == typeof(Uri);

    private static bool IsCollection(Type t) => t != typeof(string) && ElementType(t) is not null;

    private static Type? ElementType(Type t)
    {
        if (t == typeof(string)) return null;
        if (t.IsArray) return t.GetElementType();
        var enumerable = t.GetInterfaces().Append(t).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }
}
