using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MicroMoment.Gateway.Wire;

namespace MicroMoment.Gateway.Tests;

public sealed class FuzzTests
{
    private static readonly string[] Fragments = ["{", "}", "[", "]", ",", ":", "\"", "\\", "null", "true", "-1", "1e999", "\"type\"", "\"signal\"", "\"userId\"", "\u00e9", "\uD83D\uDE00", "\n", "\u0000", "{\"a\":[[[[[[[[[[]]]]]]]]]]}", "\"2999-01-01T00:00:00Z\""];

    private static string ValidBatch(Random random, int n)
    {
        var types = new[] { "view", "cart", "remove_from_cart", "purchase" };
        var batch = new JsonArray();
        for (var i = 0; i < n; i++)
        {
            var e = random.Next(6) == 0
                ? Json.Signal($"u{random.Next(4)}", $"s{random.Next(1_000_000)}", "scroll", random.Next(100))
                : Json.Event($"u{random.Next(4)}", $"e{random.Next(1_000_000)}", types[random.Next(types.Length)], productId: random.Next(1, 50));
            batch.Add(e);
        }
        return batch.ToJsonString();
    }

    private static string Mutate(Random random, string text)
    {
        var builder = new StringBuilder(text);
        var edits = 1 + random.Next(4);
        for (var k = 0; k < edits && builder.Length > 0; k++)
        {
            var at = random.Next(builder.Length);
            switch (random.Next(6))
            {
                case 0: builder.Remove(at, Math.Min(builder.Length - at, 1 + random.Next(8))); break;
                case 1: builder.Insert(at, Fragments[random.Next(Fragments.Length)]); break;
                case 2: builder[at] = (char)random.Next(32, 127); break;
                case 3: builder.Length = at; break;
                case 4:
                    var from = random.Next(builder.Length);
                    builder.Insert(at, builder.ToString(from, Math.Min(20, builder.Length - from)));
                    break;
                default: builder.Replace("\"view\"", "\"View\"").Replace("\"price\":", "\"price\":\"x\",\"p\":"); break;
            }
        }
        return builder.ToString();
    }

    [Fact]
    public void ParserNeverThrowsAndAnswersEveryElementOnMutatedBodies()
    {
        var random = new Random(20240501);
        var options = new GatewayOptions();
        for (var i = 0; i < 5_000; i++)
        {
            var body = Mutate(random, ValidBatch(random, 1 + random.Next(6)));
            var output = new List<ParsedEvent>();
            var format = random.Next(4) == 0 ? BodyFormat.Ndjson : BodyFormat.Json;

            var failure = new EventParser("t", DateTime.UtcNow, options).Parse(Encoding.UTF8.GetBytes(body), format, output);

            if (failure is not null)
            {
                Assert.Contains(failure.StatusCode, new[] { 400, 413 });
                Assert.False(string.IsNullOrWhiteSpace(failure.Detail));
            }
            foreach (var p in output)
            {
                if (p.Kind == ParsedKind.Rejected) Assert.False(string.IsNullOrEmpty(p.RejectCode) || string.IsNullOrEmpty(p.RejectDetail), body);
                else Assert.False(string.IsNullOrEmpty(p.Event.UserId) || string.IsNullOrEmpty(p.Event.EventId), body);
            }
        }
    }

    [Fact]
    public async Task MutatedBodiesNeverGet500AndCountsAddUp()
    {
        await using var gateway = await TestGateway.StartAsync();
        var silo = (RecordingSilo)gateway.Silo;
        var random = new Random(7);
        var seen = new Dictionary<HttpStatusCode, int>();
        long answered = 0;
        for (var i = 0; i < 300; i++)
        {
            var ndjson = random.Next(4) == 0;
            var valid = ValidBatch(random, 1 + random.Next(8));
            if (ndjson) valid = string.Join('\n', JsonNode.Parse(valid)!.AsArray().Select(n => n!.ToJsonString()));
            var body = random.Next(10) == 0 ? valid : Mutate(random, valid);
            var before = silo.Received.Count;

            var (response, answer) = await Json.PostAsync(gateway.Server, "/v1/events", body, ndjson ? "application/x-ndjson" : "application/json");

            seen[response.StatusCode] = seen.GetValueOrDefault(response.StatusCode) + 1;
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{(int)response.StatusCode} for body: {body}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Assert.Equal(before, silo.Received.Count);
                continue;
            }
            var results = answer!["results"]!.AsArray();
            var received = (int)answer["received"]!;
            Assert.Equal(results.Count, received);
            Assert.Equal(received, (int)answer["accepted"]! + (int)answer["duplicate"]! + (int)answer["rejected"]! + (int)answer["optedOut"]! + (int)answer["overloaded"]!);
            Assert.Equal(Enumerable.Range(0, received), results.Select(r => (int)r!["index"]!));
            var toSilo = results.Count(r => (string?)r!["status"] != "rejected" && r["signal"] is null);
            Assert.Equal(before + toSilo, silo.Received.Count);
            answered += received;
        }
        var metrics = gateway.Host.Metrics;
        var counted = Enum.GetValues<Silo.IngestStatus>().Sum(metrics.EventsWith);
        Assert.Equal(answered, counted);
        Assert.True(seen.GetValueOrDefault(HttpStatusCode.OK) > 50 && seen.GetValueOrDefault(HttpStatusCode.BadRequest) > 10, string.Join(", ", seen));
    }

    [Fact]
    public async Task MutatedStreamMessagesAreEachAnsweredAndTheConnectionSurvives()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var socket = await gateway.ConnectServerAsync();
        var random = new Random(11);
        for (var i = 0; i < 150; i++)
        {
            var envelope = $"{{\"batch\":\"b{i}\",\"events\":{ValidBatch(random, 1 + random.Next(4))}}}";
            var message = random.Next(8) == 0 ? envelope : Mutate(random, envelope);

            await socket.SendAsync(Encoding.UTF8.GetBytes(message), System.Net.WebSockets.WebSocketMessageType.Text, true, CancellationToken.None);
            var reply = await Json.ReceiveAsync(socket);
            while (reply is not null && (string?)reply["type"] == "offer") reply = await Json.ReceiveAsync(socket);

            Assert.NotNull(reply);
            Assert.Contains((string?)reply["type"], new[] { "ack", "error" });
            if ((string?)reply["type"] == "ack")
            {
                var ack = reply["ack"]!;
                Assert.Equal((int)ack["received"]!, ack["results"]!.AsArray().Count);
            }
            else
            {
                Assert.Equal(400, (int)reply["status"]!);
            }
        }
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, socket.State);
    }
}
