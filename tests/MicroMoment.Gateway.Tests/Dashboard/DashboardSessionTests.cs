using System.Net;
using MicroMoment.Gateway.Dashboard;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MicroMoment.Gateway.Tests.Dashboard;

/// <summary>Each dashboard login is its own server-side session: a fresh cookie, ended by logout, expiring on the gateway's clock.</summary>
public sealed class DashboardSessionTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private TestGateway _gateway = null!;

    public async Task InitializeAsync() =>
        _gateway = await TestGateway.StartAsync(configure: o =>
        {
            o.Dashboard.SessionLifetime = TimeSpan.FromHours(2);
            o.Dashboard.MaxSessions = 3;
        }, configureBuilder: b => b.Services.AddSingleton<TimeProvider>(_clock));

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private async Task<string> LoginAsync()
    {
        var response = await _gateway.Anonymous.PostAsync("/dashboard/login", new FormUrlEncodedContent([KeyValuePair.Create("key", TestGateway.ServerKey)]));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var header = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(DashboardAccess.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("max-age=7200", header, StringComparison.OrdinalIgnoreCase);
        return header.Split(';')[0][(DashboardAccess.CookieName.Length + 1)..];
    }

    private async Task<HttpStatusCode> ReadWithAsync(string cookie, string path = "/dashboard/api/snapshot")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", $"{DashboardAccess.CookieName}={cookie}");
        using var response = await _gateway.Anonymous.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task TwoLoginsGiveDifferentCookiesThatNeverHoldTheKey()
    {
        var first = await LoginAsync();
        var second = await LoginAsync();

        Assert.NotEqual(first, second);
        Assert.DoesNotContain(TestGateway.ServerKey, first);
        Assert.True(first.Length >= 43, $"a session id of 256 bits; got '{first}'");
        Assert.Equal(HttpStatusCode.OK, await ReadWithAsync(first));
        Assert.Equal(HttpStatusCode.OK, await ReadWithAsync(second));
    }

    [Fact]
    public async Task LogoutEndsThatSessionOnlyAndTheOldCookieIsRefused()
    {
        var kept = await LoginAsync();
        var ended = await LoginAsync();
        using var logout = new HttpRequestMessage(HttpMethod.Post, "/dashboard/logout");
        logout.Headers.Add("Cookie", $"{DashboardAccess.CookieName}={ended}");

        var answer = await _gateway.Anonymous.SendAsync(logout);

        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await ReadWithAsync(ended));
        Assert.Equal(HttpStatusCode.Unauthorized, await ReadWithAsync(ended, "/dashboard/api/model"));
        Assert.Equal(HttpStatusCode.OK, await ReadWithAsync(kept));
    }

    [Fact]
    public async Task ASessionExpiresAtItsLifetimeOnTheGatewaysClockWhateverItsUse()
    {
        var cookie = await LoginAsync();

        _clock.Advance(TimeSpan.FromMinutes(119));
        var nearTheEnd = await ReadWithAsync(cookie);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var atTheEnd = await ReadWithAsync(cookie);
        var fresh = await LoginAsync();

        Assert.Equal(HttpStatusCode.OK, nearTheEnd);
        Assert.Equal(HttpStatusCode.Unauthorized, atTheEnd);
        Assert.Equal(HttpStatusCode.OK, await ReadWithAsync(fresh));
    }

    [Fact]
    public async Task SessionsAreBoundedAndTheOldestGoesFirst()
    {
        var oldest = await LoginAsync();
        _clock.Advance(TimeSpan.FromSeconds(1));
        var second = await LoginAsync();
        _clock.Advance(TimeSpan.FromSeconds(1));
        var third = await LoginAsync();
        _clock.Advance(TimeSpan.FromSeconds(1));
        var fourth = await LoginAsync();

        Assert.Equal(3, _gateway.Host.App.Services.GetRequiredService<DashboardSessions>().Count);
        Assert.Equal(HttpStatusCode.Unauthorized, await ReadWithAsync(oldest));
        Assert.Equal(HttpStatusCode.OK, await ReadWithAsync(second));
        Assert.Equal(HttpStatusCode.OK, await ReadWithAsync(third));
        Assert.Equal(HttpStatusCode.OK, await ReadWithAsync(fourth));
    }

    [Fact]
    public async Task TheLiveStreamOfASessionEndsAtLogout()
    {
        var cookie = await LoginAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/api/stream");
        request.Headers.Add("Cookie", $"{DashboardAccess.CookieName}={cookie}");
        using var response = await _gateway.Anonymous.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[4096];
        Assert.True(await stream.ReadAsync(buffer) > 0);

        using var logout = new HttpRequestMessage(HttpMethod.Post, "/dashboard/logout");
        logout.Headers.Add("Cookie", $"{DashboardAccess.CookieName}={cookie}");
        await _gateway.Anonymous.SendAsync(logout);

        // The sampler's snapshots follow the gateway clock: move it on until a snapshot finds the session gone.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var read = stream.ReadAsync(buffer, limit.Token).AsTask();
        while (true)
        {
            if (await Task.WhenAny(read, Task.Delay(50)) != read)
            {
                _clock.Advance(TimeSpan.FromSeconds(1));
                continue;
            }

            if (await read == 0) break;
            read = stream.ReadAsync(buffer, limit.Token).AsTask();
        }

        Assert.False(limit.IsCancellationRequested);
    }
}
