using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace MicroMoment.Client;

/// <summary>
/// Client of a MicroMoment gateway: send events (one or batched), stream a session over a WebSocket and receive its
/// offers, read a shopper's live state, report offer feedback, set consent and erase a shopper. Errors become
/// <see cref="MicroMomentApiException"/> (with <see cref="RateLimitedException"/> for 429 and
/// <see cref="OverloadedException"/> for 503). Thread-safe.
/// </summary>
public sealed class MicroMomentClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly string _key;

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
    /// Sends a batch. To retry (a timeout, a lost connection, overloaded events), send the same event objects again:
    /// each keeps the id and timestamp it got when it was created, so what was applied before is answered duplicate.
    /// Events whose id was set to null get a random one here.
    /// </summary>
    /// <returns>One result per event, in order. Some may be rejected or overloaded: check <see cref="EventResult.Status"/>.</returns>
    public async Task<IngestResult> SendBatchAsync(IReadOnlyList<ShopperEvent> events, CancellationToken cancellationToken = default)
    {
        var body = WithIds(events);
        using var request = Request(HttpMethod.Post, "v1/events");
        request.Content = JsonContent.Create(body, ClientJsonContext.Default.ListShopperEvent);
        return await SendAsync(request, ClientJsonContext.Default.IngestResult, cancellationToken).ConfigureAwait(false)
            ?? throw new MicroMomentApiException(502, "Empty answer", "The gateway answered POST /v1/events without a body.");
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
