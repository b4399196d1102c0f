using System.Collections.Concurrent;
using System.Diagnostics;
using MicroMoment.Grains;
using MicroMoment.Scoring;
using MicroMoment.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime.Placement;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using Orleans.TestingHost;

namespace MicroMoment.Silo.Tests.Cluster;

/// <summary>
/// Two MicroMoment silos (A and B) in one <see cref="InProcessTestCluster"/>, each set up by
/// <see cref="MicroMomentSiloExtensions.AddMicroMomentSilo"/>, sharing one grain store so a grain can be reactivated on
/// either silo from what the other wrote.
/// </summary>
/// <remarks>
/// The store is one <see cref="SqliteGrainStorage"/> on a temporary folder, opened here once and registered in both
/// silos through a <see cref="FencedGrainStorage"/> each. SQLite storage locks its folder, so two silos cannot each open
/// the file; a real cluster shares a store that every silo reaches over the network instead (Azure Table, Redis,
/// PostgreSQL). Because the handles take no part in the silos' lifecycles, a silo that stops leaves the store open under
/// the survivor; the store closes after the whole cluster is down.
/// <para>
/// Membership is tuned for quick death detection in tests: a probe times out after <see cref="ProbeTimeout"/> and a
/// silo is declared dead after <see cref="MissedProbes"/> missed probes (with two silos one vote suffices), so a silo
/// that stops answering without a word is declared dead after about 3 s instead of Orleans' default of about 15 s.
/// <see cref="CrashAsync"/> (Orleans' non-graceful stop) still lets the dying silo record itself dead in the membership
/// table as it stops, so the survivor usually learns of it at once, before any probe is missed.
/// </para>
/// </remarks>
public sealed class TwoSiloCluster : IAsyncDisposable
{
    /// <summary>How long a membership probe waits (Orleans' default is 5 s).</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Missed probes before a silo is voted dead (Orleans' default, 3).</summary>
    public const int MissedProbes = 3;

    private readonly ServiceProvider _serializer;
    private readonly DirectoryInfo _directory;
    private readonly ConcurrentDictionary<string, FencedGrainStorage> _handles;
    private int _disposed;

    private TwoSiloCluster(InProcessTestCluster cluster, SqliteGrainStorage store, ServiceProvider serializer, DirectoryInfo directory, ConcurrentDictionary<string, FencedGrainStorage> handles)
    {
        Cluster = cluster;
        Store = store;
        _serializer = serializer;
        _directory = directory;
        _handles = handles;
        A = cluster.Silos[0];
        B = cluster.Silos[1];
    }

    /// <summary>The test cluster.</summary>
    public InProcessTestCluster Cluster { get; }

    /// <summary>The first silo.</summary>
    public InProcessSiloHandle A { get; }

    /// <summary>The second silo.</summary>
    public InProcessSiloHandle B { get; }

    /// <summary>The grain store both silos share.</summary>
    public SqliteGrainStorage Store { get; }

    /// <summary>A grain factory (the cluster's client).</summary>
    public IGrainFactory Grains => Cluster.Client;

    /// <summary>
    /// Starts two silos with <paramref name="options"/> (which must name no data directory: the shared store is the
    /// grain storage) and returns once both are active; <paramref name="configure"/> adds to each silo's set-up.
    /// </summary>
    public static async Task<TwoSiloCluster> StartAsync(MicroMomentModel model, SiloOptions options, TimeProvider? clock = null, Action<ISiloBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        if (options.DataDirectory is not null)
            throw new ArgumentException("The cluster's silos share one store; leave SiloOptions.DataDirectory null.", nameof(options));

        var directory = Directory.CreateTempSubdirectory("mm-cluster-");
        var serializer = new ServiceCollection()
            .AddSerializer(s => s.AddAssembly(typeof(MicroMomentSiloExtensions).Assembly).AddAssembly(typeof(IUserGrain).Assembly))
            .BuildServiceProvider();
        var store = new SqliteGrainStorage(
            MicroMomentSiloExtensions.GrainStorageName,
            new SqliteGrainStorageOptions
            {
                DataDirectory = directory.FullName,
                GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer.GetRequiredService<Serializer>()),
            },
            serializer.GetRequiredService<IActivatorProvider>(),
            NullLogger<SqliteGrainStorage>.Instance);
        store.Open();

        var handles = new ConcurrentDictionary<string, FencedGrainStorage>(StringComparer.Ordinal);
        var builder = new InProcessTestClusterBuilder(2);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((silo, orleans) =>
        {
            orleans.AddMicroMomentSilo(model, options, clock, storageConfigured: true);
            var handle = handles.GetOrAdd(silo.SiloName, name => new FencedGrainStorage(store, name));
            orleans.Services.AddKeyedSingleton<IGrainStorage>(MicroMomentSiloExtensions.GrainStorageName, handle);
            orleans.Configure<ClusterMembershipOptions>(m =>
            {
                m.ProbeTimeout = ProbeTimeout;
                m.NumMissedProbesLimit = MissedProbes;
            });
            configure?.Invoke(orleans);
        });
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            await store.CloseAsync();
            await serializer.DisposeAsync();
            directory.Delete(recursive: true);
            throw;
        }

        return new TwoSiloCluster(cluster, store, serializer, directory, handles);
    }

    /// <summary>The <see cref="IMicroMomentSilo"/> front of <paramref name="silo"/> (the one a gateway co-hosted there uses).</summary>
    public IMicroMomentSilo FrontOf(InProcessSiloHandle silo) => silo.ServiceProvider.GetRequiredService<IMicroMomentSilo>();

    /// <summary>The store handle of <paramref name="silo"/>.</summary>
    public FencedGrainStorage StorageOf(InProcessSiloHandle silo) => _handles[silo.Name];

    /// <summary>The silo that holds an activation of <paramref name="grain"/> now, or null when none does.</summary>
    public SiloAddress? WhereIs(GrainId grain) => Cluster.TryGetGrainContext(grain, out var context) ? context.Address.SiloAddress : null;

    /// <summary>The id of shopper <paramref name="userId"/>'s user grain.</summary>
    public GrainId UserGrainOf(string tenant, string userId) => Grains.GetGrain<IUserGrain>(GrainKeys.Of(tenant, userId)).GetGrainId();

    /// <summary>The id of shopper <paramref name="userId"/>'s trigger grain.</summary>
    public GrainId TriggerGrainOf(string tenant, string userId) => Grains.GetGrain<ITriggerGrain>(GrainKeys.Of(tenant, userId)).GetGrainId();

    /// <summary>
    /// Runs <paramref name="call"/> with Orleans' placement hint naming <paramref name="silo"/>: grains that the call
    /// activates (and the grains they activate in turn) are placed there.
    /// </summary>
    public static async Task<T> PlacedOnAsync<T>(InProcessSiloHandle silo, Func<Task<T>> call)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo.SiloAddress);
        try
        {
            return await call();
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    /// <summary>
    /// Kills <paramref name="silo"/> as a crash would: first cuts it off the shared store (a dead process writes
    /// nothing more), then stops it without a graceful shutdown (<see cref="InProcessTestCluster.KillSiloAsync"/>).
    /// Returns how long the kill took.
    /// </summary>
    public async Task<TimeSpan> CrashAsync(InProcessSiloHandle silo)
    {
        var clock = Stopwatch.StartNew();
        StorageOf(silo).Fence();
        await Cluster.KillSiloAsync(silo);
        return clock.Elapsed;
    }

    /// <summary>Stops the silos still running, then closes the shared store and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            await Cluster.DisposeAsync();
        }
        finally
        {
            await Store.CloseAsync();
            await _serializer.DisposeAsync();
            try
            {
                _directory.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A file still open on a slow shutdown; the temp folder is cleaned by the OS later.
            }
        }
    }
}
