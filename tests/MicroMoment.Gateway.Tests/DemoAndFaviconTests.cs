using System.Net;
using System.Text.Json.Nodes;

namespace MicroMoment.Gateway.Tests;

public sealed class DemoAndFaviconTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await TestGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    /// <summary>True for code points that render as emoji (pictographs, symbols and dingbats, regional indicators, the emoji variation selector).</summary>
    internal static bool IsEmoji(int codePoint) =>
        codePoint is >= 0x1F000 and <= 0x1FAFF or >= 0x2600 and <= 0x27BF or >= 0x2B00 and <= 0x2BFF or 0xFE0F or >= 0x1F1E6 and <= 0x1F1FF;

    [Fact]
    public async Task FaviconIsAnIconImage()
    {
        var response = await _gateway.Anonymous.GetAsync("/favicon.ico");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/x-icon", response.Content.Headers.ContentType?.MediaType);
        // ICONDIR: reserved 0, type 1 (icon), one image of 32x32 at 32 bits whose size and offset fit the file.
        Assert.Equal([0, 0, 1, 0, 1, 0, 32, 32], bytes[..8]);
        Assert.Equal(32, BitConverter.ToUInt16(bytes, 12));
        Assert.Equal(bytes.Length, BitConverter.ToInt32(bytes, 14) + BitConverter.ToInt32(bytes, 18));
        Assert.Equal(40, BitConverter.ToInt32(bytes, 22));
        Assert.Contains("max-age", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task ANineteenDigitCategoryIdSentAsAStringReachesTheGrainExactly()
    {
        const string categoryId = "2053013555631882655";   // above 2^53: a JavaScript number would turn it into 2053013555631882800
        var asString = Json.Event("cat-user", "c1");
        asString["categoryId"] = categoryId;
        var asNumber = Json.Event("cat-user", "c2");
        asNumber["categoryId"] = 2053013566100866035;

        var (response, answer) = await Json.PostAsync(_gateway.Server, "/v1/events", new JsonArray(asString, asNumber).ToJsonString());
        var view = (await Json.GetAsync(_gateway.Server, "/v1/users/cat-user")).Body!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (int)answer!["accepted"]!);
        var timeline = view["timeline"]!.AsArray();
        Assert.Equal(2053013555631882655L, timeline[0]!["categoryId"]!.GetValue<long>());
        Assert.Equal(2053013566100866035L, timeline[1]!["categoryId"]!.GetValue<long>());
        Assert.Equal([2053013555631882655L, 2053013566100866035L], ((RecordingSilo)_gateway.Silo).Received.Select(e => e.CategoryId));
    }

    [Fact]
    public async Task TheDemoPageHasNoEmojiAndSendsCategoryIdsAsStrings()
    {
        var html = await _gateway.Anonymous.GetStringAsync("/demo");

        var emoji = EnumerateCodePoints(html).Where(IsEmoji).ToList();
        Assert.True(emoji.Count == 0, "emoji in /demo: " + string.Join(", ", emoji.Select(c => $"U+{c:X4}")));
        Assert.DoesNotMatch(@"\\u\{1F|\\uD83[C-E]", html);
        Assert.Matches("categoryId: \"2053013555631882655\"", html);
        Assert.DoesNotMatch(@"categoryId: \d{17,}", html);
        Assert.Contains("<svg", html);
        Assert.Contains("href=\"/favicon.ico\"", html);
    }

    [Fact]
    public async Task TheDemosBackendRouteMintsATokenForItsVisitorAndKeepsTheVisitor()
    {
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies };
        using var browser = new HttpClient(handler) { BaseAddress = _gateway.Host.BaseAddress };

        var first = JsonNode.Parse(await (await browser.PostAsync("/demo/shopper-token", null)).Content.ReadAsStringAsync())!;
        var second = JsonNode.Parse(await (await browser.PostAsync("/demo/shopper-token", null)).Content.ReadAsStringAsync())!;
        var stranger = JsonNode.Parse(await (await _gateway.Anonymous.PostAsync("/demo/shopper-token", null)).Content.ReadAsStringAsync())!;

        Assert.StartsWith("demo-", (string?)first["userId"]);
        Assert.Equal((string?)first["userId"], (string?)second["userId"]);
        Assert.NotEqual((string?)first["userId"], (string?)stranger["userId"]);
        Assert.True(cookies.GetAllCookies().Single(c => c.Name == "mm_demo_visitor").HttpOnly);
        using var page = _gateway.Client(TestGateway.PublishableKey);
        page.DefaultRequestHeaders.Add("X-MicroMoment-Shopper", (string)first["token"]!);
        var e = Json.Event("ignored", "d1");
        e.Remove("userId");
        var (response, _) = await Json.PostAsync(page, "/v1/events", e.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((string?)first["userId"], ((RecordingSilo)_gateway.Silo).Received.Single().UserId);
    }

    internal static IEnumerable<int> EnumerateCodePoints(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                yield return char.ConvertToUtf32(text[i], text[i + 1]);
                i++;
            }
            else
            {
                yield return text[i];
            }
        }
    }
}
