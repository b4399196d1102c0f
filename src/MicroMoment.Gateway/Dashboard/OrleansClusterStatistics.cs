using Orleans;
using Orleans.Runtime;
using MicroMoment.Grains;

namespace MicroMoment.Gateway.Dashboard;

/// <summary>
/// <see cref="IClusterStatistics"/> from Orleans' management grain (<see cref="IManagementGrain"/>): the membership table
/// (<c>GetDetailedHosts</c>), each active silo's runtime statistics (<c>GetRuntimeStatistics</c>) and activations per
/// grain class (<c>GetSimpleGrainStatistics</c>), each active silo's own counters from its <see cref="ISiloReportGrain"/>
/// (pinned to that silo: events handled, user grains), and a grain's activation address (<c>GetActivationAddress</c>, a
/// grain directory lookup that activates nothing). Works
/// through any <see cref="IGrainFactory"/>: a silo's in the same process, or an Orleans client's.
/// </summary>
public sealed class OrleansClusterStatistics : IClusterStatistics
{
    private readonly IGrainFactory _grains;

    /// <summary>Reads the cluster through <paramref name="grains"/>; <paramref name="localSilo"/> names the silo in this process, if any.</summary>
    public OrleansClusterStatistics(IGrainFactory grains, SiloAddress? localSilo = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        _grains = grains;
        LocalSilo = localSilo?.ToParsableString();
    }

    /// <inheritdoc/>
    public string? LocalSilo { get; }

    private IManagementGrain Management => _grains.GetGrain<IManagementGrain>(0);

    /// <inheritdoc/>
    public async Task<ClusterReport> GetAsync(CancellationToken cancellationToken = default)
    {
        var management = Management;
        var hosts = await management.GetDetailedHosts(onlyActive: false).WaitAsync(cancellationToken).ConfigureAwait(false);
        var live = hosts.Where(h => h.Status != SiloStatus.Dead).OrderBy(h => h.SiloAddress.ToParsableString(), StringComparer.Ordinal).ToArray();
        var runtime = live.Select(h => h.Status == SiloStatus.Active ? management.GetRuntimeStatistics([h.SiloAddress]) : null).ToArray();
        var grains = live.Select(h => h.Status == SiloStatus.Active ? management.GetSimpleGrainStatistics([h.SiloAddress]) : null).ToArray();
        var reports = live.Select(h => h.Status == SiloStatus.Active ? _grains.GetGrain<ISiloReportGrain>(h.SiloAddress.ToParsableString()).GetAsync() : null).ToArray();
        var silos = new List<ClusterSilo>(live.Length);
        var types = new List<GrainTypeActivations>();
        for (int i = 0; i < live.Length; i++)
        {
            var entry = live[i];
            string address = entry.SiloAddress.ToParsableString();
            SiloRuntime? statistics = null;
            string? error = null;
            if (runtime[i] is { } asked)
            {
                try
                {
                    var answer = (await asked.WaitAsync(cancellationToken).ConfigureAwait(false)).Single();
                    var environment = answer.EnvironmentStatistics;
                    statistics = new SiloRuntime(
                        DateTime.SpecifyKind(answer.DateTime, DateTimeKind.Utc), answer.ActivationCount, answer.RecentlyUsedActivationCount,
                        environment.FilteredCpuUsagePercentage, environment.FilteredMemoryUsageBytes, environment.MaximumAvailableMemoryBytes,
                        answer.ReceivedMessages, answer.SentMessages, answer.ClientCount, answer.IsOverloaded);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    error = ex.Message;
                }
            }

            if (grains[i] is { } counted)
            {
                try
                {
                    foreach (var type in await counted.WaitAsync(cancellationToken).ConfigureAwait(false))
                        types.Add(new GrainTypeActivations(address, ClassName(type.GrainType), type.ActivationCount));
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    error ??= ex.Message;
                }
            }

            SiloReport? report = null;
            if (reports[i] is { } reported)
            {
                try
                {
                    report = await reported.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    error ??= ex.Message;
                }
            }

            silos.Add(new ClusterSilo(address, entry.SiloName, entry.HostName, entry.Status.ToString(), DateTime.SpecifyKind(entry.StartTime, DateTimeKind.Utc), statistics, error, report));
        }

        return new ClusterReport(silos, hosts.Length - live.Length, types);
    }

    /// <inheritdoc/>
    public async Task<string?> LocateAsync(string tenant, string userId, CancellationToken cancellationToken = default)
    {
        var grain = _grains.GetGrain<IUserGrain>(GrainKeys.Of(tenant, userId));
        var address = await Management.GetActivationAddress(grain).AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        return address?.ToParsableString();
    }

    /// <summary>The class's full name from Orleans' formatted type name ("Namespace.Class,Assembly"; generic arguments kept).</summary>
    internal static string ClassName(string formatted)
    {
        int depth = 0;
        for (int i = 0; i < formatted.Length; i++)
        {
            char c = formatted[i];
            if (c == '[') depth++;
            else if (c == ']') depth--;
            else if (c == ',' && depth == 0) return formatted[..i];
        }

        return formatted;
    }
}
