using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polly;
using Polly.Retry;

namespace MicroMoment.Client;

/// <summary>
/// Client of a MicroMoment gateway: send events (one or batched), stream a session over a WebSocket and receive its
/// offers, read a shopper's live state, report offer feedback, set consent and erase a shopper. Errors become
/// <see cref="MicroMomentApiException"/> (with <see cref="RateLimitedException"/> for 429 and
/// <see cref="OverloadedException"/> for 503). Event sends are retried on connection failures, timeouts, 502/503/504 and
/// overloaded events (see <see cref="Retry"/>); other calls are not. Thread-safe.
/// </summary>
public sealed class MicroMomentClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly string _key;
    private MicroMomentRetryOptions _retry = new();
    private ResiliencePipeline<Attempt> _pipeline;

    /// <summary>The header carrying the shopper token.</summary>
    internal const string ShopperTokenHeader = "X-MicroMoment-Shopper";

    /// <summary>Creates a client for the gateway at <paramref name="baseAddress"/> with an API key.</summary>
    /// <param name="baseAddress">The gateway, e.g. http://127.0.0.1:5080/.</param>
    /// <param name="key">A server key (every call) or a publishable key (events and streams only).</param>
    /// <param name="httpClient">An HttpClient to use (not disposed by this client); null creates one.</param>
    public MicroMomentClient(Uri baseAddress, string key, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        if (!baseAddress.IsAbsoluteUri || (baseAddress.Scheme != Uri.UriSchemeHttp && baseAddress.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"The gateway address must be an absolute http(s) URL; got '{baseAddress}'.", nameof(baseAddress));
        BaseAddress = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        _key = key;
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient();
        _pipeline = BuildPipeline(_retry);
    }

    /// <summary>
    /// How event sends are retried (<see cref="MicroMomentRetryOptions"/>: by default up to 6 retries, 0.5 s doubling to
    /// 10 s, with jitter, honouring <c>Retry-After</c>); <see cref="MicroMomentRetryOptions.None"/> turns retrying off.
    /// Set it before the client is shared.
    /// </summary>
    public MicroMomentRetryOptions Retry
    {
        get => _retry;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            _pipeline = BuildPipeline(value);
            _retry = value;
        }
    }

    /// <summary>The gateway's address.</summary>
    public Uri BaseAddress { get; }

    /// <summary>
    /// With a publishable key: the shopper token (minted by the shop's backend) this client acts with, sent on every
    /// request and stream as <c>X-MicroMoment-Shopper</c>. Without one, a publishable-key client is an anonymous shopper
    /// of the gateway's choosing. Server-key clients act for any shopper and need none.
    /// </summary>
    public string? ShopperToken { get; set; }

    /// <summary>
    /// Mints a shopper token for <paramref name="userId"/> with this client's server key, offline (no request): what a
    /// shop's backend hands its page for the tracker (<c>MicroMoment.init({ key, shopperToken })</c>).
    /// </summary>
    /// <param name="userId">The shopper.</param>
    /// <param name="lifetime">How long the token is accepted (at most the gateway's MaxShopperTokenLifetime, 24 h by default).</param>
    /// <param name="tenant">The tenant the server key is configured with (<see cref="ShopperTokens.DefaultTenant"/> unless the gateway's keys name one).</param>
    /// <param name="time">The clock (the system clock when null).</param>
    public string CreateShopperToken(string userId, TimeSpan lifetime, string tenant = ShopperTokens.DefaultTenant, TimeProvider? time = null)
    {
        if (lifetime <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, "The token's lifetime must be positive.");
        return ShopperTokens.Create(_key, tenant, userId, (time ?? TimeProvider.System).GetUtcNow() + lifetime);
    }

    /// <summary>Mints a shopper token on the gateway (POST /v1/shopper-tokens, server key): the tenant is the key's own.</summary>
    public async Task<ShopperTokenResult> RequestShopperTokenAsync(string userId, TimeSpan? lifetime = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        using var request = Request(HttpMethod.Post, "v1/shopper-tokens");
        request.Content = JsonContent.Create(new ShopperTokenRequest(userId, lifetime is { } l ? (long)l.TotalSeconds : null), ClientJsonContext.Default.ShopperTokenRequest);
        return (await SendAsync(request, ClientJsonContext.Default.ShopperTokenResult, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Sends one event.</summary>
    public Task<IngestResult> SendAsync(ShopperEvent shopperEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(shopperEvent);
        return SendBatchAsync([shopperEvent], cancellationToken);
    }

    /// <summary>
    /// Sends a batch. Events the gateway did not take (the connection failed or was lost, the request timed out, it
    /// answered 502/503/504, or events came back overloaded) are resent with the same ids as <see cref="Retry"/> says;
    /// what was applied before is answered duplicate, never applied twice. Each event keeps the id and timestamp it got
    /// when it was created, so sending the same objects again later is just as safe. Events whose id was set to null get a
    /// random one here (kept across this call's retries).
    /// </summary>
    /// <returns>One result per event, in order. Some may be rejected, or still overloaded once the retries ran out: check <see cref="EventResult.Status"/>.</returns>
    /// <exception cref="OverloadedException">No event was taken and the retries ran out (or are off) on a 503.</exception>
    /// <exception cref="HttpRequestException">The gateway could not be reached within the retries.</exception>
    public async Task<IngestResult> SendBatchAsync(IReadOnlyList<ShopperEvent> events, CancellationToken cancellationToken = default)
    {
        var body = WithIds(events);
        var merged = new EventResult?[body.Count];
        var state = new BatchSend(this, body, merged);
        var outcome = await _pipeline.ExecuteAsync(static (s, ct) => s.AttemptAsync(ct), state, cancellationToken).ConfigureAwait(false);
        var result = Compose(merged);
        if (outcome.Overloaded is { } overloaded && result.Accepted + result.Duplicate + result.OptedOut == 0)
            throw new OverloadedException(overloaded.Title, overloaded.Detail, overloaded.RetryAfter ?? TimeSpan.FromSeconds(1), result.Results);
        return result;
    }

    /// <summary>Posts <paramref name="events"/> once; the answer and the gateway's Retry-After.</summary>
    private async Task<(IngestResult Result, TimeSpan? RetryAfter)> PostEventsAsync(List<ShopperEvent> events, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, "v1/events");
        request.Content = JsonContent.Create(events, ClientJsonContext.Default.ListShopperEvent);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);
        var result = await response.Content.ReadFromJsonAsync(ClientJsonContext.Default.IngestResult, cancellationToken).ConfigureAwait(false)
            ?? throw new MicroMomentApiException(502, "Empty answer", "The gateway answered POST /v1/events without a body.");
        if (result.Results.Count != events.Count)
            throw new MicroMomentApiException(502, "Wrong answer", $"The gateway answered {result.Results.Count} results for {events.Count} events; expected one per event.");
        return (result, RetryAfterOf(response));
    }

    /// <summary>The batch's counts recomputed from its per-event results.</summary>
    private static IngestResult Compose(EventResult?[] merged)
    {
        int accepted = 0, duplicate = 0, rejected = 0, optedOut = 0, overloaded = 0;
        var results = new EventResult[merged.Length];
        for (int i = 0; i < merged.Length; i++)
        {
            var r = merged[i] ?? new EventResult(i, null, EventStatus.Overloaded, "unavailable", "The gateway could not be reached.", null, null, null);
            results[i] = r;
            switch (r.Status)
            {
                case EventStatus.Accepted: accepted++; break;
                case EventStatus.Duplicate: duplicate++; break;
                case EventStatus.Rejected: rejected++; break;
                case EventStatus.OptedOut: optedOut++; break;
                default: overloaded++; break;
            }
        }

        return new IngestResult(results.Length, accepted, duplicate, rejected, optedOut, overloaded, results);
    }

    private static ResiliencePipeline<Attempt> BuildPipeline(MicroMomentRetryOptions options)
    {
        if (options.MaxRetryAttempts == 0) return ResiliencePipeline<Attempt>.Empty;
        var builder = new ResiliencePipelineBuilder<Attempt>();
        if (options.Time is { } time) builder.TimeProvider = time;
        return builder.AddRetry(new RetryStrategyOptions<Attempt>
        {
            MaxRetryAttempts = options.MaxRetryAttempts,
            Delay = options.BaseDelay,
            MaxDelay = options.MaxDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is { } error
                ? IsTransient(error, args.Context.CancellationToken)
                : args.Outcome.Result?.Pending > 0),
            // The gateway's Retry-After (on a 503, or a 200 with overloaded events) is a floor: back off at least that long.
            DelayGenerator = args =>
            {
                var retryAfter = args.Outcome.Exception is MicroMomentApiException api ? api.RetryAfter : args.Outcome.Result?.RetryAfter;
                if (retryAfter is not { } floor) return ValueTask.FromResult<TimeSpan?>(null);
                double backoff = options.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(args.AttemptNumber, 20));
                double jittered = Math.Max(floor.TotalMilliseconds, backoff) * (1 + (Random.Shared.NextDouble() / 4));
                return ValueTask.FromResult<TimeSpan?>(TimeSpan.FromMilliseconds(Math.Min(jittered, options.MaxDelay.TotalMilliseconds)));
            },
        }).Build();
    }

    /// <summary>Failures worth a retry: the request did not reach a gateway or got no usable answer, or it answered 502/503/504.</summary>
    private static bool IsTransient(Exception error, CancellationToken cancellationToken) => error switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested, // HttpClient's timeout, not the caller's token
        MicroMomentApiException api => api.Status is 502 or 503 or 504,
        HttpRequestException or IOException or JsonException => true,
        _ => false,
    };

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response) =>
        response.Headers.RetryAfter?.Delta ?? (response.Headers.RetryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);

    /// <summary>What one attempt of a batch send left: events still to send, the gateway's Retry-After, and a 503's problem.</summary>
    private sealed record Attempt(int Pending, TimeSpan? RetryAfter, OverloadedException? Overloaded);

    /// <summary>A batch send across its attempts: each attempt posts the events not yet taken and merges their results.</summary>
    private sealed class BatchSend(MicroMomentClient client, List<ShopperEvent> events, EventResult?[] merged)
    {
        private List<int> _pending = [.. Enumerable.Range(0, events.Count)];

        public async ValueTask<Attempt> AttemptAsync(CancellationToken cancellationToken)
        {
            var sending = _pending.Select(i => events[i]).ToList();
            IReadOnlyList<EventResult> results;
            TimeSpan? retryAfter;
            OverloadedException? overloaded = null;
            try
            {
                (var result, retryAfter) = await client.PostEventsAsync(sending, cancellationToken).ConfigureAwait(false);
                results = result.Results;
            }
            catch (OverloadedException ex) when (ex.Results.Count == sending.Count)
            {
                results = ex.Results;
                retryAfter = ex.RetryAfter;
                overloaded = ex;
            }

            var again = new List<int>();
            for (int k = 0; k < _pending.Count; k++)
            {
                int index = _pending[k];
                merged[index] = results[k] with { Index = index };
                if (results[k].Status == EventStatus.Overloaded) again.Add(index);
            }

            _pending = again;
            return new Attempt(again.Count, retryAfter, overloaded);
        }
    }

    /// <summary>The live state of a shopper, or null when the gateway holds nothing for them (server key).</summary>
    public Task<UserState?> GetUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Get, $"v1/users/{Escape(userId)}");
        return SendAsync(request, ClientJsonContext.Default.UserState, cancellationToken, notFoundIsNull: true);
    }

    /// <summary>Reports what happened to an offer (server key). Throws with status 404 (unknown offer) or 409 (not allowed from its state).</summary>
    public async Task<FeedbackResult> RecordFeedbackAsync(string offerId, FeedbackKind feedback, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(offerId);
        using var request = Request(HttpMethod.Post, $"v1/offers/{Uri.EscapeDataString(offerId)}/feedback");
        request.Content = JsonContent.Create(new FeedbackBody(feedback), ClientJsonContext.Default.FeedbackBody);
        return (await SendAsync(request, ClientJsonContext.Default.FeedbackResult, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Sets a shopper's consent (server key): <paramref name="offers"/> grants exactly the offers category (or none).
    /// Withdrawing tracking erases what is held about them.
    /// </summary>
    public Task<ConsentState> SetConsentAsync(string userId, bool tracking, bool offers, CancellationToken cancellationToken = default) =>
        SendConsentAsync(userId, new ConsentState(tracking, offers), cancellationToken);

    /// <summary>
    /// Sets a shopper's consent (server key) to exactly the granted <paramref name="categories"/> (e.g. "offers",
    /// "marketing"; lower-case names of 1 to 32 letters, digits, '_' or '-', at most 16). A rule of the trigger policy
    /// fires only for shoppers who granted its category. Throws <see cref="MicroMomentApiException"/> (400) naming a bad name.
    /// </summary>
    public Task<ConsentState> SetConsentAsync(string userId, bool tracking, IEnumerable<string> categories, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(categories);
        string[] granted = [.. categories];
        return SendConsentAsync(userId, new ConsentState(tracking, granted.Contains("offers"), granted), cancellationToken);
    }

    private async Task<ConsentState> SendConsentAsync(string userId, ConsentState consent, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, $"v1/users/{Escape(userId)}/consent");
        request.Content = JsonContent.Create(consent, ClientJsonContext.Default.ConsentState);
        return (await SendAsync(request, ClientJsonContext.Default.ConsentState, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Erases everything held about a shopper (server key).</summary>
    public async Task<EraseResult> EraseUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Delete, $"v1/users/{Escape(userId)}");
        return (await SendAsync(request, ClientJsonContext.Default.EraseResult, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Opens a streamed session (WebSocket /v1/stream): send events, receive acks and the offers of its shoppers.</summary>
    /// <param name="userId">A shopper whose offers should reach this stream before it sends their first event.</param>
    /// <param name="onOffer">Called for each offer, on the stream's receive loop (keep it short); offers are also readable with <see cref="MicroMomentStream.ReadOffersAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    public Task<MicroMomentStream> OpenStreamAsync(string? userId = null, Action<Offer>? onOffer = null, CancellationToken cancellationToken = default)
    {
        var builder = new UriBuilder(new Uri(BaseAddress, "v1/stream"))
        {
            Scheme = BaseAddress.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
            Query = userId is null ? "" : $"userId={Uri.EscapeDataString(userId)}",
        };
        return MicroMomentStream.ConnectAsync(builder.Uri, _key, ShopperToken, onOffer, cancellationToken);
    }

    /// <summary>Assigns random ids to events without one.</summary>
    internal static List<ShopperEvent> WithIds(IReadOnlyList<ShopperEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var list = new List<ShopperEvent>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i] ?? throw new ArgumentException($"Event #{i} is null.", nameof(events));
            list.Add(e.EventId is null ? e with { EventId = Guid.NewGuid().ToString("N") } : e);
        }
        return list;
    }

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseAddress, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _key);
        if (ShopperToken is { Length: > 0 } token) request.Headers.Add(ShopperTokenHeader, token);
        return request;
    }

    private static string Escape(string userId)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return Uri.EscapeDataString(userId);
    }

    private async Task<T?> SendAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> type, CancellationToken cancellationToken, bool notFoundIsNull = false)
        where T : class
    {
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
            return await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false);
        if (notFoundIsNull && response.StatusCode == HttpStatusCode.NotFound) return null;
        throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<MicroMomentApiException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ProblemBody? problem = null;
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (text.Length > 0) problem = JsonSerializer.Deserialize(text, ClientJsonContext.Default.ProblemBody);
        }
        catch (JsonException)
        {
        }
        var status = (int)response.StatusCode;
        var title = problem?.Title ?? response.ReasonPhrase;
        var retryAfter = response.Headers.RetryAfter?.Delta
            ?? (response.Headers.RetryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return status switch
        {
            429 => new RateLimitedException(title, problem?.Detail, retryAfter ?? TimeSpan.FromSeconds(1)),
            503 when problem?.Results is { } results => new OverloadedException(title, problem.Detail, retryAfter ?? TimeSpan.FromSeconds(1), results),
            _ => new MicroMomentApiException(status, title, problem?.Detail, retryAfter),
        };
    }

    /// <summary>Disposes the HttpClient when this client created it.</summary>
    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }
}
