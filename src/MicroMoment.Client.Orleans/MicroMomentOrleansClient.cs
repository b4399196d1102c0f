using System.Net;
using MicroMoment.Events;
using MicroMoment.Grains;
using MicroMoment.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Orleans.Storage;

namespace MicroMoment.Client.Orleans;

/// <summary>
/// The Orleans mode of the .NET client, for a shop backend in the silo's network: it calls the shoppers' grains through
/// Orleans' client (no HTTP, no JSON) to send events, read a shopper's view, set consent, erase, and record offer
/// feedback, and it receives a shopper's offers pushed by their trigger grain as they fire. Events are checked as the
/// gateway checks them (<see cref="ArgumentException"/> naming the event), grouped per shopper, and each shopper's
/// events apply in the order they were handed in, across concurrent calls. Thread-safe. Make it with
/// <see cref="ConnectAsync(int, MicroMomentOrleansOptions?, CancellationToken)"/>, from the services of a host that
/// called <c>UseOrleansClient(c => c.UseMicroMomentGateway().AddMicroMomentClient())</c>, or over any
/// <see cref="IGrainFactory"/>.
/// </summary>
public sealed partial class MicroMomentOrleansClient : IAsyncDisposable
{
    private readonly IGrainFactory _grains;
    private readonly MicroMomentOrleansOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly OrderedIngest _ingest;
    private readonly OfferReceiver _receiver;
    private readonly IOfferObserver _receiverReference;
    private readonly OfferWatches _watches;
    private IHost? _host;
    private int _disposed;

    /// <summary>A client over <paramref name="grains"/> (an Orleans client's <see cref="IClusterClient"/>, or a silo's grain factory).</summary>
    /// <param name="grains">Calls the grains.</param>
    /// <param name="options">Settings (null: defaults, tenant "default"); copied and validated.</param>
    /// <param name="time">This machine's clock for event stamps, the timestamp limits, feedback times and watch renewals (null: the system clock).</param>
    /// <param name="logger">Receives failed renewals, grain call failures and throwing offer callbacks (null: none).</param>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public MicroMomentOrleansClient(IGrainFactory grains, MicroMomentOrleansOptions? options = null, TimeProvider? time = null, ILogger<MicroMomentOrleansClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        _options = (options ?? new MicroMomentOrleansOptions()).Copy();
        _options.Validate();
        _grains = grains;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _ingest = new OrderedIngest(grains);
        // Orleans holds observer objects weakly: the receiver lives as long as this client.
        _receiver = new OfferReceiver((offer, error) => LogCallbackFailed(_logger, offer.Id, offer.UserId, error));
        _receiverReference = grains.CreateObjectReference<IOfferObserver>(_receiver);
        _watches = new OfferWatches(grains, _receiverReference, _time, _logger);
    }

    /// <summary>The shop this client sends for.</summary>
    public string Tenant => _options.Tenant;

    /// <summary>Shoppers whose offers this client watches now.</summary>
    public int WatchedShoppers => _watches.Count;

    /// <summary>True while a subscription of this client watches the offers of <paramref name="userId"/>.</summary>
    public bool IsWatching(string userId) => userId is not null && _watches.IsWatched(string.Concat(Tenant, "/", userId));

    /// <summary>Offer watch renewals the grains answered so far (each watched shopper is renewed every <see cref="OfferWatch.RenewEvery"/>).</summary>
    public long WatchRenewals => _watches.Renewals;

    /// <summary>
    /// Connects to a silo's Orleans client gateway on this machine (what <c>micromoment serve</c> opens on
    /// <c>--orleans-port</c>, 30000 by default) and returns a client that owns the connection.
    /// </summary>
    /// <exception cref="ArgumentException">An option or the port is invalid.</exception>
    /// <exception cref="SiloUnreachableException">No silo answered on that port (Orleans' error is the inner exception).</exception>
    public static Task<MicroMomentOrleansClient> ConnectAsync(int gatewayPort = MicroMomentCluster.DefaultGatewayPort, MicroMomentOrleansOptions? options = null, CancellationToken cancellationToken = default)
    {
        MicroMomentClientBuilderExtensions.CheckPort(gatewayPort);
        return ConnectAsync([new IPEndPoint(IPAddress.Loopback, gatewayPort)], options, null, cancellationToken);
    }

    /// <summary>
    /// Connects to the Orleans client gateways of a MicroMoment cluster (service id <see cref="MicroMomentCluster.ServiceId"/>,
    /// cluster id <see cref="MicroMomentCluster.ClusterId"/> unless <paramref name="configure"/> sets others) and returns a
    /// client that owns the connection. Fails when no gateway answers.
    /// </summary>
    /// <param name="gateways">The gateways' endpoints.</param>
    /// <param name="options">Client settings (null: defaults).</param>
    /// <param name="configure">Further set-up of Orleans' client (e.g. a connection retry filter, TLS), or null.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <exception cref="ArgumentException">An option or a gateway is invalid.</exception>
    /// <exception cref="SiloUnreachableException">No gateway answered (Orleans' error is the inner exception).</exception>
    public static async Task<MicroMomentOrleansClient> ConnectAsync(
        IReadOnlyList<IPEndPoint> gateways, MicroMomentOrleansOptions? options = null, Action<global::Orleans.Hosting.IClientBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        MicroMomentClientBuilderExtensions.CheckGateways(gateways);
        var settings = options ?? new MicroMomentOrleansOptions();
        settings.Validate();
        IPEndPoint[] endpoints = [.. gateways];
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client =>
        {
            client.UseMicroMomentGateways(endpoints);
            configure?.Invoke(client);
        });
        var host = builder.Build();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(settings.ConnectTimeout);
        try
        {
            // Orleans' client keeps trying a gateway that refuses for minutes: the wait is bounded here.
            await host.StartAsync(limit.Token).WaitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await StopQuietlyAsync(host).ConfigureAwait(false);
            throw new SiloUnreachableException(endpoints, ex is OperationCanceledException
                ? new TimeoutException($"No gateway completed Orleans' handshake within {settings.ConnectTimeout.TotalSeconds:0.#} s (MicroMomentOrleansOptions.ConnectTimeout).", ex)
                : ex);
        }
        catch
        {
            await StopQuietlyAsync(host).ConfigureAwait(false);
            throw;
        }

        try
        {
            var client = new MicroMomentOrleansClient(host.Services.GetRequiredService<IClusterClient>(), settings, host.Services.GetService<TimeProvider>(),
                host.Services.GetService<ILogger<MicroMomentOrleansClient>>());
            client._host = host;
            return client;
        }
        catch
        {
            await StopQuietlyAsync(host).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops and disposes a client host that failed to start (its own errors are of no further use).</summary>
    private static async Task StopQuietlyAsync(IHost host)
    {
        try
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await host.StopAsync(stop.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Nothing was connected, so nothing is left to close.
        }
        finally
        {
            host.Dispose();
        }
    }

    /// <summary>
    /// A new event of <paramref name="userId"/> of this client's tenant, stamped now (this machine's clock) with a random
    /// id: sending the same value again after a failure is answered duplicate for whatever was applied.
    /// </summary>
    /// <param name="userId">The shopper.</param>
    /// <param name="type">View, Cart, RemoveFromCart or Purchase.</param>
    /// <param name="productId">The product (0: none).</param>
    /// <param name="categoryId">The category (0: unknown).</param>
    /// <param name="categoryCode">The dotted category path, e.g. "electronics.smartphone".</param>
    /// <param name="brand">The brand.</param>
    /// <param name="price">The unit price (NaN: unknown).</param>
    /// <param name="context">Device, platform, referrer, page and the shopper's time zone.</param>
    public ClickEvent CreateEvent(
        string userId, EventType type, long productId = 0, long categoryId = 0, string? categoryCode = null, string? brand = null, float price = float.NaN,
        EventContext context = default) =>
        new(Tenant, userId, _time.GetUtcNow().UtcDateTime, type, productId, categoryId, categoryCode, brand, price, context, EventId: Guid.NewGuid().ToString("N"));

    /// <summary>Sends one event; see <see cref="SendAsync(IReadOnlyList{ClickEvent}, CancellationToken)"/>.</summary>
    public async Task<IngestOutcome> SendAsync(ClickEvent shopperEvent, CancellationToken cancellationToken = default) =>
        (await SendAsync([shopperEvent], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>
    /// Sends events, grouped per shopper (one grain call per shopper, in order, up to
    /// <see cref="MicroMomentOrleansOptions.MaxEventsPerCall"/> events each) and answers per event in submission order:
    /// accepted with the score and the trigger's decision (a fired offer is in <see cref="TriggerDecision.Offer"/>),
    /// duplicate, opted out, or overloaded. A shopper's events apply in the order they were handed in, also across
    /// concurrent calls of this client. When a grain call fails, its events are answered overloaded with the reason
    /// (<c>unavailable</c>, <c>timeout</c>, <c>overloaded</c>, <c>storage-unavailable</c>) and the shopper's later events
    /// of this call are not sent; resend the same event values (same ids): what was applied is answered duplicate.
    /// </summary>
    /// <exception cref="ArgumentException">An event is invalid (the message names it and says what is expected); nothing was sent.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; events may have been applied (a resend is answered duplicate for them).</exception>
    public async Task<IReadOnlyList<IngestOutcome>> SendAsync(IReadOnlyList<ClickEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        int n = events.Count;
        if (n == 0) return [];
        var now = _time.GetUtcNow().UtcDateTime;
        for (int i = 0; i < n; i++) EventChecks.Check(events[i], i, _options, now, nameof(events));

        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < n; i++)
        {
            string user = events[i].UserId;
            if (!groups.TryGetValue(user, out var members)) groups[user] = members = new List<int>(1);
            members.Add(i);
        }

        var outcomes = new IngestOutcome[n];
        var calls = new List<Task>(groups.Count);
        foreach (var (user, members) in groups) calls.Add(SendShopperAsync(GrainKeys.Of(Tenant, user), events, members, outcomes));
        await Task.WhenAll(calls).WaitAsync(cancellationToken).ConfigureAwait(false);
        return outcomes;
    }

    /// <summary>Sends one shopper's events in calls of at most MaxEventsPerCall, one after another; a failed call ends the run.</summary>
    private async Task SendShopperAsync(string key, IReadOnlyList<ClickEvent> events, List<int> members, IngestOutcome[] outcomes)
    {
        int max = _options.MaxEventsPerCall;
        for (int start = 0; start < members.Count; start += max)
        {
            var batch = new ClickEvent[Math.Min(max, members.Count - start)];
            for (int k = 0; k < batch.Length; k++) batch[k] = events[members[start + k]];
            IngestOutcome[] answers;
            try
            {
                answers = await _ingest.SendAsync(key, new EventBatch(batch)).ConfigureAwait(false);
                if (answers.Length != batch.Length)
                    throw new InvalidOperationException($"The user grain {key} answered {answers.Length} outcomes for {batch.Length} events; it must answer one per event.");
            }
            catch (Exception ex)
            {
                var outcome = Failed(key, ex);
                for (int k = start; k < members.Count; k++) outcomes[members[k]] = outcome;
                return;
            }

            for (int k = 0; k < batch.Length; k++) outcomes[members[start + k]] = answers[k];
        }
    }

    /// <summary>The answer for events whose grain call failed: overloaded (retry with the same ids) for failures that pass, else rejected.</summary>
    private IngestOutcome Failed(string key, Exception error)
    {
        string? reason = error switch
        {
            TimeoutException => "timeout",
            GatewayTooBusyException or LimitExceededException or OrleansMessageRejectionException => "overloaded",
            SiloUnavailableException or ConnectionFailedException or global::Orleans.Networking.Shared.SocketConnectionException => "unavailable",
            InconsistentStateException => "storage-unavailable",
            _ => null,
        };
        if (reason is not null)
        {
            LogCallFailed(_logger, key, reason, error.Message);
            return new IngestOutcome(IngestStatus.Overloaded, reason);
        }

        LogCallError(_logger, key, error);
        return new IngestOutcome(IngestStatus.Rejected, "internal-error");
    }

    /// <summary>The live view of a shopper of this tenant, or null when the silo holds nothing for them.</summary>
    /// <exception cref="ArgumentException">The user id is blank, longer than 128 characters or holds control characters.</exception>
    public Task<UserView?> GetUserAsync(string userId, CancellationToken cancellationToken = default) =>
        UserGrain(userId).GetViewAsync().WaitAsync(cancellationToken);

    /// <summary>
    /// Sets a shopper's consent and returns once it is stored. Withdrawing tracking erases what is held about them but the
    /// withdrawal; a rule of the trigger policy fires only for shoppers who granted its category (<c>offers</c> by default).
    /// </summary>
    /// <exception cref="ArgumentException">The user id is invalid.</exception>
    public Task SetConsentAsync(string userId, Consent consent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(consent);
        return UserGrain(userId).SetConsentAsync(consent).WaitAsync(cancellationToken);
    }

    /// <summary>Erases everything held about a shopper (memory and storage) and returns once the deletion is stored; true when there was anything.</summary>
    /// <exception cref="ArgumentException">The user id is invalid.</exception>
    public Task<bool> EraseUserAsync(string userId, CancellationToken cancellationToken = default) =>
        UserGrain(userId).EraseAsync().WaitAsync(cancellationToken);

    /// <summary>
    /// Records what happened to an offer of this tenant at <paramref name="at"/> (UTC; null: now by this machine's clock).
    /// Takes the offer's id as the grains give it (<see cref="Offer.Id"/>) or as the HTTP gateway and the tracker give it
    /// (<c>tenant~id</c>). An id that names another tenant's offer, or no offer, is answered unknown.
    /// </summary>
    /// <exception cref="ArgumentException">The id is blank, <paramref name="at"/> is not UTC, or the feedback is not defined.</exception>
    public async Task<FeedbackOutcome> RecordFeedbackAsync(string offerId, OfferFeedback feedback, DateTime? at = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(offerId)) throw new ArgumentException("The offer id is blank; expected the id of an offer the silo fired.", nameof(offerId));
        if (at is { Kind: not DateTimeKind.Utc } local) throw new ArgumentException($"The feedback time {local:O} is {local.Kind}; expected UTC (DateTimeKind.Utc).", nameof(at));
        if (!Enum.IsDefined(feedback)) throw new ArgumentException($"Feedback {(int)feedback} is not an OfferFeedback; expected Shown, Clicked, Dismissed or Converted.", nameof(feedback));
        string id = offerId;
        int tilde = offerId.IndexOf('~');
        if (tilde >= 0)
        {
            if (!offerId.AsSpan(0, tilde).SequenceEqual(Tenant)) return FeedbackOutcome.UnknownOffer;
            id = offerId[(tilde + 1)..];
        }

        if (!OfferKeys.TryGetGrainKey(id, out var key) || !key.StartsWith(Tenant + "/", StringComparison.Ordinal)) return FeedbackOutcome.UnknownOffer;
        return await _grains.GetGrain<IUserGrain>(key).RecordFeedbackAsync(id, feedback, at ?? _time.GetUtcNow().UtcDateTime).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Watches a shopper's offers: returns once their trigger grain pushes them here, so events sent afterwards have their
    /// offers read from the subscription (<see cref="OfferSubscription.ReadOffersAsync"/>). The watch is renewed every
    /// <see cref="OfferWatch.RenewEvery"/> while the subscription lives; dispose it to stop.
    /// </summary>
    /// <exception cref="ArgumentException">The user id is invalid.</exception>
    public Task<OfferSubscription> WatchOffersAsync(string userId, CancellationToken cancellationToken = default) =>
        WatchAsync(userId, null, cancellationToken);

    /// <summary>
    /// Watches a shopper's offers and hands each to <paramref name="onOffer"/> as it is pushed (on Orleans' thread: keep it
    /// short; an exception is logged). Dispose the subscription to stop.
    /// </summary>
    /// <exception cref="ArgumentException">The user id is invalid.</exception>
    public Task<OfferSubscription> WatchOffersAsync(string userId, Action<Offer> onOffer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onOffer);
        return WatchAsync(userId, onOffer, cancellationToken);
    }

    private async Task<OfferSubscription> WatchAsync(string userId, Action<Offer>? onOffer, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        EventChecks.CheckUserId(userId, nameof(userId));
        var subscription = new OfferSubscription(this, GrainKeys.Of(Tenant, userId), userId, onOffer, _options.OfferBufferCapacity);
        // Listen before the grain takes the watch: an offer may be pushed as soon as it has.
        _receiver.Add(subscription);
        try
        {
            await _watches.WatchAsync(subscription.Key, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return subscription;
    }

    /// <summary>Ends a subscription; the grain is told when it was the shopper's last one.</summary>
    internal async ValueTask RemoveAsync(OfferSubscription subscription)
    {
        if (!_receiver.Remove(subscription) || Volatile.Read(ref _disposed) != 0) return;
        try
        {
            await _watches.UnwatchAsync(subscription.Key).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The grain drops the watch by itself once its lifetime passes unrenewed.
            LogUnwatchFailed(_logger, subscription.Key, ex.Message);
        }
    }

    /// <summary>
    /// Stops renewing offer watches (the grains drop them within <see cref="OfferWatch.Lifetime"/>), ends every
    /// subscription's reading and, when this client made the connection, closes it.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _watches.DisposeAsync().ConfigureAwait(false);
        foreach (var subscription in _receiver.All) subscription.Complete();
        try
        {
            _grains.DeleteObjectReference<IOfferObserver>(_receiverReference);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException or ArgumentException)
        {
            // The Orleans client is already stopped; its references went with it.
        }

        if (_host is { } host)
        {
            try
            {
                await host.StopAsync().ConfigureAwait(false);
            }
            finally
            {
                host.Dispose();
            }
        }
    }

    private IUserGrain UserGrain(string userId)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        EventChecks.CheckUserId(userId, nameof(userId));
        return _grains.GetGrain<IUserGrain>(GrainKeys.Of(Tenant, userId));
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Warning, Message = "A user grain call for {GrainKey} failed ({Reason}): {Error}; its events were answered overloaded.")]
    private static partial void LogCallFailed(ILogger logger, string grainKey, string reason, string error);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "A user grain call for {GrainKey} failed; its events were answered rejected (internal-error).")]
    private static partial void LogCallError(ILogger logger, string grainKey, Exception error);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Ending the offer watch of {GrainKey} failed ({Error}); the grain drops it once its lifetime passes.")]
    private static partial void LogUnwatchFailed(ILogger logger, string grainKey, string error);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "An offer callback threw on offer {OfferId} of {UserId}.")]
    private static partial void LogCallbackFailed(ILogger logger, string offerId, string userId, Exception error);
}
