using StackExchange.Redis;

namespace MicroMoment.Cli.Cluster;

/// <summary>Reads the StackExchange.Redis configuration strings of the "redis" membership and state providers.</summary>
public static class RedisConnection
{
    /// <summary>What the settings expect, for error messages.</summary>
    public const string Expected = "a StackExchange.Redis configuration string: host:port[,host:port...][,password=...][,ssl=true][,defaultDatabase=N] (e.g. 127.0.0.1:6379)";

    /// <summary>Parses <paramref name="text"/> into a fresh <see cref="ConfigurationOptions"/> (each connection gets its own copy).</summary>
    /// <param name="text">The configuration string.</param>
    /// <param name="setting">The key it came from, named in the error.</param>
    /// <exception cref="ArgumentException">Empty, not a configuration string (an unknown keyword, a bad value), or no endpoint.</exception>
    public static ConfigurationOptions Options(string? text, string setting)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new ArgumentException($"{setting} is empty; expected {Expected}.");
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(text.Trim());
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"{setting} is not a Redis configuration string ({ex.Message}); expected {Expected}.", ex);
        }

        if (options.EndPoints.Count == 0) throw new ArgumentException($"{setting} names no Redis endpoint; expected {Expected}.");
        return options;
    }
}
