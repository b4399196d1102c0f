using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace MicroMoment.Gateway.Tests;

/// <summary>Wire helpers: build events, post bodies, read answers.</summary>
internal static class Json
{
    /// <summary>
    /// The latest 06:00 UTC at least a minute ago. The bundled model reads the hour of day: from 12:00 to 03:00 UTC a
    /// shopper's first view already fires the exit popup, so a test that expects a view then a cart to bring the buy
    /// discount stamps its events here instead of "now" (it failed every afternoon); within a day, well inside MaxEventAge.
    /// </summary>
    public static DateTime Morning { get; } = LatestMorning();

    private static DateTime LatestMorning()
    {
        var now = DateTime.UtcNow.AddMinutes(-1);
        var six = now.Date.AddHours(6);
        return six <= now ? six : six.AddDays(-1);
    }

    /// <summary>An event object as a client sends it.</summary>
    public static JsonObject Event(string userId, string eventId, string type = "view", DateTime? at = null, long productId = 1001, float? price = 199f)
    {
        var e = new JsonObject
        {
            ["eventId"] = eventId,
            ["userId"] = userId,
            ["type"] = type,
            ["timestamp"] = (at ?? DateTime.UtcNow.AddSeconds(-5)).ToString("O"),
            ["productId"] = productId,
            ["categoryId"] = 2001,
            ["categoryCode"] = "electronics.smartphone",
            ["brand"] = "acme",
            ["context"] = new JsonObject { ["device"] = "mobile", ["page"] = "product" },
        };
        if (price is { } p) e["price"] = p;
        return e;
    }

    /// <summary>A tracker signal.</summary>
    public static JsonObject Signal(string userId, string eventId, string name, double value) => new()
    {
        ["eventId"] = eventId,
        ["userId"] = userId,
        ["type"] = "signal",
        ["signal"] = name,
        ["value"] = value,
        ["context"] = new JsonObject { ["page"] = "product" },
    };

    public static async Task<(HttpResponseMessage Response, JsonNode? Body)> PostAsync(HttpClient client, string path, string body, string contentType = "application/json")
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var response = await client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public static async Task<(HttpResponseMessage Response, JsonNode? Body)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 || !(response.Content.Headers.ContentType?.MediaType ?? "").Contains("json") ? null : JsonNode.Parse(text));
    }

    /// <summary>Sends one text message.</summary>
    public static Task SendAsync(ClientWebSocket socket, JsonNode message) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>Receives the next text message (or null when the socket closed), failing after <paramref name="timeout"/>.</summary>
    public static async Task<JsonNode?> ReceiveAsync(ClientWebSocket socket, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage) return JsonNode.Parse(message.ToArray());
        }
    }

    /// <summary>Receives messages until one of <paramref name="type"/> arrives.</summary>
    public static async Task<JsonNode> ReceiveAsync(ClientWebSocket socket, string type, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"No '{type}' message arrived.");
            var message = await ReceiveAsync(socket, left) ?? throw new InvalidOperationException($"The socket closed before a '{type}' message arrived.");
            if ((string?)message["type"] == type) return message;
        }
    }
}
