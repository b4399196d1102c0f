using System.Net.Http.Headers;
using System.Net.WebSockets;
using MicroMoment.Silo;

namespace MicroMoment.Gateway.Tests;

/// <summary>A gateway on real Kestrel (127.0.0.1, port 0) in front of a silo, with a server and a publishable key.</summary>
internal sealed class TestGateway : IAsyncDisposable
{
    public const string ServerKey = "mm_sk_test_server_key_0001";
    public const string PublishableKey = "mm_pk_test_publishable_0001";
    public const string Tenant = "shop1";

    private TestGateway(GatewayHost host, IMicroMomentSilo silo)
    {
        Host = host;
        Silo = silo;
        Server = Client(ServerKey);
        Anonymous = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = host.BaseAddress };
    }

    public GatewayHost Host { get; }

    public IMicroMomentSilo Silo { get; }

    /// <summary>An HTTP client sending the server key.</summary>
    public HttpClient Server { get; }

    /// <summary>An HTTP client sending no key (and keeping no cookies).</summary>
    public HttpClient Anonymous { get; }

    public static async Task<TestGateway> StartAsync(IMicroMomentSilo? silo = null, Action<GatewayOptions>? configure = null, Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configureBuilder = null,
        Action<Microsoft.AspNetCore.Builder.WebApplication>? configureApp = null)
    {
        silo ??= await RecordingSilo.StartAsync();
        var host = await GatewayHost.StartAsync(silo, o =>
        {
            o.Urls = "http://127.0.0.1:0";
            o.Keys =
            [
                new GatewayKey { Key = ServerKey, Tenant = Tenant, Kind = GatewayKeyKind.Server },
                new GatewayKey { Key = PublishableKey, Tenant = Tenant, Kind = GatewayKeyKind.Publishable },
            ];
            configure?.Invoke(o);
        }, configureBuilder, configureApp: configureApp);
        return new TestGateway(host, silo);
    }

    /// <summary>An HTTP client sending <paramref name="key"/> as a bearer token. It keeps no cookies (tests that need a cookie jar make their own).</summary>
    public HttpClient Client(string key)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = Host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>A shopper token for <paramref name="userId"/> of the test tenant, signed with the server key (as a shop's backend mints it).</summary>
    public static string ShopperToken(string userId, TimeSpan? lifetime = null, DateTimeOffset? now = null) =>
        MicroMoment.Client.ShopperTokens.Create(ServerKey, Tenant, userId, (now ?? DateTimeOffset.UtcNow) + (lifetime ?? TimeSpan.FromHours(1)));

    /// <summary>An HTTP client sending the publishable key and a shopper token for <paramref name="userId"/> (a page bound to that shopper).</summary>
    public HttpClient Shopper(string userId)
    {
        var client = Client(PublishableKey);
        client.DefaultRequestHeaders.Add("X-MicroMoment-Shopper", ShopperToken(userId));
        return client;
    }

    /// <summary>
    /// Opens /v1/stream with <c>?key=</c> (as a browser does). With the publishable key and <paramref name="userId"/> it
    /// sends a shopper token for that shopper (the connection is bound to them); without a user id it is an anonymous shopper.
    /// </summary>
    public async Task<ClientWebSocket> ConnectAsync(string key = PublishableKey, string? userId = null)
    {
        var socket = new ClientWebSocket();
        var query = $"key={Uri.EscapeDataString(key)}";
        if (userId is not null) query += $"&userId={Uri.EscapeDataString(userId)}&shopperToken={Uri.EscapeDataString(ShopperToken(userId))}";
        var uri = new UriBuilder(Host.BaseAddress) { Scheme = "ws", Path = "/v1/stream", Query = query }.Uri;
        await socket.ConnectAsync(uri, CancellationToken.None);
        return socket;
    }

    /// <summary>Opens /v1/stream with the server key in the Authorization header (a backend speaking for many shoppers).</summary>
    public async Task<ClientWebSocket> ConnectServerAsync(string? userId = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + ServerKey);
        var uri = new UriBuilder(Host.BaseAddress) { Scheme = "ws", Path = "/v1/stream", Query = userId is null ? "" : $"userId={Uri.EscapeDataString(userId)}" }.Uri;
        await socket.ConnectAsync(uri, CancellationToken.None);
        return socket;
    }

    public async ValueTask DisposeAsync()
    {
        Server.Dispose();
        Anonymous.Dispose();
        await Host.DisposeAsync();
        await Silo.DisposeAsync();
    }
}
