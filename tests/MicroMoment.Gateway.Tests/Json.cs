using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace MicroMoment.Gateway.Tests;

/// <summary>Wire helpers: build events, post bodies, read answers.</summary>
internal static class Json
{
    /// <summary>An event object as a client sends it.</summary>
    public static JsonObject Event(string userId, string eventId, string type = "view", DateTime? at = null, long productId = 1001, float? price = 199f)
    {
        var e = new JsonObject
        {
            ["eventId"] = eventId,
            ["userId"] = userId,
            ["type"] = type,
            ["timestamp"] = (at ?? DateTime.UtcNow).ToString("O"),
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

    /// <summary>Receives messages until one of each of <paramref name="types"/> has arrived (in any order); the first of each.</summary>
    public static async Task<Dictionary<string, JsonNode>> ReceiveEachAsync(ClientWebSocket socket, params string[] types)
    {
        var seen = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (types.Any(t => !seen.ContainsKey(t)))
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"No {string.Join(" or ", types.Where(t => !seen.ContainsKey(t)))} message arrived.");
            var message = await ReceiveAsync(socket, left) ?? throw new InvalidOperationException("The socket closed before every expected message arrived.");
            var type = (string?)message["type"];
            if (type is not null && types.Contains(type)) seen.TryAdd(type, message);
        }
        return seen;
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
