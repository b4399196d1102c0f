using System.Buffers;
using System.Text.Json;
using MicroMoment.Silo;
using Orleans.Runtime;

namespace MicroMoment.Gateway.Dashboard;

/// <summary>
/// Open sessions per cluster and intent and the hottest grains, from the silo's census (a walk over the active shoppers
/// of the silo in this process), each hottest grain with the silo Orleans says it is active on (when the host registered
/// <see cref="IClusterStatistics"/>). One walk serves every watcher for <see cref="MaxAge"/> of the injected clock;
/// without a census-capable silo, says so.
/// </summary>
internal sealed class DashboardCensus(IMicroMomentSilo silo, TimeProvider time, IClusterStatistics? cluster = null)
{
    /// <summary>How long one census is served before the next walk.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);

    /// <summary>Grains listed as hottest.</summary>
    public const int Hottest = 10;

    private readonly Lock _gate = new();
    private Task<byte[]>? _current;
    private long _takenAt;

    /// <summary>The census as UTF-8 JSON, at most <see cref="MaxAge"/> old.</summary>
    public Task<byte[]> GetJsonAsync()
    {
        lock (_gate)
        {
            if (_current is null || _current.IsFaulted || time.GetElapsedTime(_takenAt) > MaxAge)
            {
                _takenAt = time.GetTimestamp();
                _current = TakeAsync();
            }
            return _current;
        }
    }

    private async Task<byte[]> TakeAsync()
    {
        var buffer = new ArrayBufferWriter<byte>();
        if (silo is not ISiloCensus census)
        {
            "{\"available\":false}"u8.CopyTo(buffer.GetSpan(32));
            buffer.Advance("{\"available\":false}"u8.Length);
            return buffer.WrittenSpan.ToArray();
        }
        var result = await census.CensusAsync(Hottest).ConfigureAwait(false);
        var where = await Task.WhenAll(result.Hottest.Select(LocateAsync)).ConfigureAwait(false);
        var names = silo.Model.Features.ClusterNames;
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteBoolean("available", true);
            w.WriteNumber("activeGrains", result.ActiveGrains);
            w.WriteNumber("idleSessions", result.IdleSessions);
            w.WriteStartArray("clusters");
            for (int c = 0; c < result.OpenSessionsByCluster.Count; c++)
            {
                w.WriteStartObject();
                w.WriteString("name", c < names.Count ? names[c] : c.ToString(System.Globalization.CultureInfo.InvariantCulture));
                w.WriteNumber("sessions", result.OpenSessionsByCluster[c]);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("intents");
            foreach (var pair in result.OpenSessionsByIntent) w.WriteNumber(pair.Key.ToLowerInvariant(), pair.Value);
            w.WriteEndObject();
            w.WriteStartArray("hottest");
            for (int i = 0; i < result.Hottest.Count; i++)
            {
                var grain = result.Hottest[i];
                w.WriteStartObject();
                w.WriteString("tenant", grain.Tenant);
                w.WriteString("userId", grain.UserId);
                if (where[i] is { } address) w.WriteString("silo", address);
                else w.WriteNull("silo");
                w.WriteNumber("eventsApplied", grain.EventsApplied);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Where Orleans says the grain is active; null without cluster statistics, or when the lookup fails (the census still answers).</summary>
    private async Task<string?> LocateAsync(HotGrain grain)
    {
        if (cluster is null) return null;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            return await cluster.LocateAsync(grain.Tenant, grain.UserId, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or OrleansException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }
}
