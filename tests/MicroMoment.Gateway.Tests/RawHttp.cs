using System.Net.Sockets;
using System.Text;

namespace MicroMoment.Gateway.Tests;

/// <summary>
/// HTTP/1.1 over a bare TCP socket, for requests HttpClient will not send: truncated bodies, bodies that trickle in,
/// hand-made WebSocket handshakes whose refusal body a test wants to read.
/// </summary>
internal static class RawHttp
{
    /// <summary>The status line's code, the headers (lower-case names) and the body of a response.</summary>
    public sealed record Response(int Status, IReadOnlyDictionary<string, string> Headers, string Body);

    /// <summary>Sends <paramref name="head"/> (request line and headers, without the blank line) and <paramref name="body"/>, then reads the response.</summary>
    public static async Task<Response> SendAsync(Uri baseAddress, string head, byte[]? body = null, TimeSpan? timeout = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.TrimEnd('\r', '\n') + "\r\n\r\n"));
        if (body is not null) await stream.WriteAsync(body);
        return await ReadAsync(stream, timeout ?? TimeSpan.FromSeconds(20));
    }

    /// <summary>Sends the head and the first part of a body, then closes the connection without sending the rest.</summary>
    public static async Task SendTruncatedAsync(Uri baseAddress, string head, byte[] partialBody)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.TrimEnd('\r', '\n') + "\r\n\r\n"));
        await stream.WriteAsync(partialBody);
        await stream.FlushAsync();
        client.Client.Shutdown(SocketShutdown.Send);
        // Read whatever comes (perhaps nothing) until the server closes, so the server has seen the truncation.
        try
        {
            await ReadAsync(stream, TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or FormatException)
        {
        }
    }

    /// <summary>Sends the head and a few body bytes, then waits (sending nothing) until the server answers or drops the connection.</summary>
    public static async Task<Response?> SendStalledAsync(Uri baseAddress, string head, byte[] firstBytes, TimeSpan wait)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.TrimEnd('\r', '\n') + "\r\n\r\n"));
        await stream.WriteAsync(firstBytes);
        try
        {
            return await ReadAsync(stream, wait);
        }
        catch (Exception ex) when (ex is IOException or SocketException or FormatException)
        {
            return null;
        }
    }

    private static async Task<Response> ReadAsync(NetworkStream stream, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var data = new MemoryStream();
        var buffer = new byte[8192];
        int headerEnd;
        while ((headerEnd = IndexOf(data, "\r\n\r\n"u8)) < 0)
        {
            var n = await stream.ReadAsync(buffer, cts.Token);
            if (n == 0) throw new IOException("The connection closed before a response head arrived.");
            data.Write(buffer, 0, n);
        }
        var headText = Encoding.ASCII.GetString(data.GetBuffer(), 0, headerEnd);
        var lines = headText.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0) headers[line[..colon].Trim().ToLowerInvariant()] = headers.TryGetValue(line[..colon].Trim().ToLowerInvariant(), out var before) ? before + ", " + line[(colon + 1)..].Trim() : line[(colon + 1)..].Trim();
        }
        var bodyStart = headerEnd + 4;
        byte[] body;
        if (status == 101)
        {
            body = [];
        }
        else if (headers.TryGetValue("content-length", out var lengthText))
        {
            var length = int.Parse(lengthText, System.Globalization.CultureInfo.InvariantCulture);
            while (data.Length - bodyStart < length)
            {
                var n = await stream.ReadAsync(buffer, cts.Token);
                if (n == 0) break;
                data.Write(buffer, 0, n);
            }
            body = data.GetBuffer().AsSpan(bodyStart, (int)Math.Min(length, data.Length - bodyStart)).ToArray();
        }
        else if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            while (IndexOf(data, "0\r\n\r\n"u8, bodyStart) < 0)
            {
                var n = await stream.ReadAsync(buffer, cts.Token);
                if (n == 0) break;
                data.Write(buffer, 0, n);
            }
            body = Dechunk(data.GetBuffer().AsSpan(bodyStart, (int)data.Length - bodyStart));
        }
        else
        {
            body = data.GetBuffer().AsSpan(bodyStart, (int)data.Length - bodyStart).ToArray();
        }
        return new Response(status, headers, Encoding.UTF8.GetString(body));
    }

    private static byte[] Dechunk(ReadOnlySpan<byte> chunked)
    {
        var output = new MemoryStream();
        while (true)
        {
            var lineEnd = chunked.IndexOf("\r\n"u8);
            if (lineEnd < 0) break;
            var size = Convert.ToInt32(Encoding.ASCII.GetString(chunked[..lineEnd]).Split(';')[0], 16);
            if (size == 0) break;
            output.Write(chunked.Slice(lineEnd + 2, size));
            chunked = chunked[(lineEnd + 2 + size + 2)..];
        }
        return output.ToArray();
    }

    private static int IndexOf(MemoryStream data, ReadOnlySpan<byte> needle, int from = 0)
    {
        var found = data.GetBuffer().AsSpan(from, (int)data.Length - from).IndexOf(needle);
        return found < 0 ? -1 : found + from;
    }

    /// <summary>The head of a WebSocket handshake for <paramref name="pathAndQuery"/>, with optional extra header lines.</summary>
    public static string WebSocketHandshake(Uri baseAddress, string pathAndQuery, params string[] extraHeaders) =>
        $"GET {pathAndQuery} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + string.Concat(extraHeaders.Select(h => h + "\r\n"));
}
