using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace MicroMoment.Gateway.Tests;

/// <summary>
/// Whatever a client sends, the answer is a 4xx problem+json (never a 500 with a stack trace), and clients that are
/// slow or vanish mid-request are not logged as errors.
/// </summary>
public sealed class ClientFaultTests : IAsyncLifetime
{
    private readonly LogCollector _logs = new();
    private TestGateway _gateway = null!;

    public async Task InitializeAsync() =>
        _gateway = await TestGateway.StartAsync(configureBuilder: b =>
        {
            b.Logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug);
            // Drop bodies that trickle in below 1 KB/s after a two-second grace (the default is 240 B/s after 5 s).
            b.WebHost.ConfigureKestrel(k => k.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 1024, gracePeriod: TimeSpan.FromSeconds(2)));
        });

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private static void AssertProblem(HttpResponseMessage response, string body, params HttpStatusCode[] expected)
    {
        Assert.True(expected.Contains(response.StatusCode), $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!;
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["title"]));
    }

    private void AssertNothingLoggedAsAProblem() =>
        Assert.True(_logs.Problems.Count == 0, string.Join("\n", _logs.Problems.Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception?.GetType().Name}")));

    [Fact]
    public async Task LoginWithAFormOverAMebibyteIs413NotA500()
    {
        var huge = "key=" + new string('a', 1_200_000);
        using var sizedRequest = new HttpRequestMessage(HttpMethod.Post, "/dashboard/login") { Content = new StringContent(huge, Encoding.ASCII, "application/x-www-form-urlencoded") };
        // A browser sends the body at once; Expect: 100-continue lets this client read the early answer deterministically.
        sizedRequest.Headers.ExpectContinue = true;
        var chunkedHead = $"POST /dashboard/login HTTP/1.1\r\nHost: {_gateway.Host.BaseAddress.Authority}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked";
        var firstChunks = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat($"{8192:x}\r\n{new string('a', 8192)}\r\n", 8)).Insert(6, "key="));

        var sized = await _gateway.Anonymous.SendAsync(sizedRequest);
        var chunked = await RawHttp.SendStalledAsync(_gateway.Host.BaseAddress, chunkedHead, firstChunks, TimeSpan.FromSeconds(10));
        var manyFields = await _gateway.Anonymous.PostAsync("/dashboard/login", new FormUrlEncodedContent(Enumerable.Range(0, 200).Select(i => KeyValuePair.Create($"f{i}", "x"))));
        var json = await _gateway.Anonymous.PostAsync("/dashboard/login", new StringContent("{\"key\":\"x\"}", Encoding.UTF8, "application/json"));

        AssertProblem(sized, await sized.Content.ReadAsStringAsync(), HttpStatusCode.RequestEntityTooLarge);
        Assert.NotNull(chunked);
        Assert.Equal(413, chunked.Status);
        Assert.StartsWith("application/problem+json", chunked.Headers["content-type"]);
        AssertProblem(manyFields, await manyFields.Content.ReadAsStringAsync(), HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge);
        AssertProblem(json, await json.Content.ReadAsStringAsync(), HttpStatusCode.UnsupportedMediaType);
        AssertNothingLoggedAsAProblem();
    }

    [Theory]
    [InlineData("GET", "/v1/users/%20")]
    [InlineData("DELETE", "/v1/users/%20%20")]
    [InlineData("POST", "/v1/users/%20/consent")]
    [InlineData("GET", "/dashboard/api/users/%20")]
    public async Task ABlankUserIdIs400NamingTheField(string method, string path)
    {
        var response = await _gateway.Server.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{\"tracking\":true,\"offers\":true}", Encoding.UTF8, "application/json") });
        var body = await response.Content.ReadAsStringAsync();

        AssertProblem(response, body, HttpStatusCode.BadRequest);
        Assert.Contains("'id'", (string?)JsonNode.Parse(body)!["detail"]);
        Assert.Contains("blank", (string?)JsonNode.Parse(body)!["detail"]);
        AssertNothingLoggedAsAProblem();
    }

    [Fact]
    public async Task ABodyTrickledInTooSlowlyIsDroppedWithoutAnErrorLog()
    {
        var head = $"POST /v1/events HTTP/1.1\r\nHost: {_gateway.Host.BaseAddress.Authority}\r\nAuthorization: Bearer {TestGateway.ServerKey}\r\nContent-Type: application/json\r\nContent-Length: 100000";

        var response = await RawHttp.SendStalledAsync(_gateway.Host.BaseAddress, head, "[{\"eventId\":"u8.ToArray(), TimeSpan.FromSeconds(15));

        // Kestrel cuts the body off (408) once the grace period is over; the gateway answers with a problem or the
        // connection just ends, and in either case nothing is logged as a warning or error.
        if (response is not null)
        {
            Assert.Equal(408, response.Status);
            Assert.Equal("Request timeout", (string?)JsonNode.Parse(response.Body)!["title"]);
        }
        await WaitForLogAsync(e => e.Message.StartsWith("Request finished", StringComparison.Ordinal) && e.Message.Contains("/v1/events", StringComparison.Ordinal));
        AssertNothingLoggedAsAProblem();
        Assert.Empty(((RecordingSilo)_gateway.Silo).Received);
    }

    [Theory]
    [InlineData("/v1/events", "application/json")]
    [InlineData("/v1/users/u1/consent", "application/json")]
    [InlineData("/v1/offers/shop1~o1/feedback", "application/json")]
    [InlineData("/v1/shopper-tokens", "application/json")]
    [InlineData("/dashboard/login", "application/x-www-form-urlencoded")]
    public async Task ABodyCutShortByTheClientIsNotLoggedAsAnError(string path, string contentType)
    {
        var auth = path.StartsWith("/v1", StringComparison.Ordinal) ? $"\r\nAuthorization: Bearer {TestGateway.ServerKey}" : "";
        var head = $"POST {path} HTTP/1.1\r\nHost: {_gateway.Host.BaseAddress.Authority}{auth}\r\nContent-Type: {contentType}\r\nContent-Length: 5000";

        await RawHttp.SendTruncatedAsync(_gateway.Host.BaseAddress, head, "{\"tracking\": tr"u8.ToArray());

        await WaitForLogAsync(e => e.Message.StartsWith("Request finished", StringComparison.Ordinal) && e.Message.Contains(path, StringComparison.Ordinal));
        AssertNothingLoggedAsAProblem();
    }

    private async Task WaitForLogAsync(Func<LogCollector.Entry, bool> seen)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!_logs.Entries.Any(seen) && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.True(_logs.Entries.Any(seen), "The gateway never logged the client's fault; logged:\n" + string.Join("\n", _logs.Entries.TakeLast(20).Select(e => $"{e.Level} {e.Category}: {e.Message}")));
    }
}
