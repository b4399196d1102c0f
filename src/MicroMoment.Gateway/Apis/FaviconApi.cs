using System.Buffers.Binary;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MicroMoment.Gateway.Apis;

/// <summary>
/// GET /favicon.ico: a 32×32 icon (a green tile with a rising white line) drawn in code at first use, so browsers
/// asking for it on every page (the demo, the dashboard) get an image instead of a 404, and no binary asset is kept.
/// </summary>
internal static class FaviconApi
{
    private const int Size = 32;
    private const int Samples = 4;

    private static readonly Lazy<byte[]> Icon = new(Draw);

    // The rising line, in pixel coordinates.
    private static readonly (float X, float Y)[] Line = [(7f, 22f), (13f, 15.5f), (18f, 19f), (25f, 9.5f)];

    /// <summary>Maps the route.</summary>
    public static IEndpointRouteBuilder MapFaviconApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/favicon.ico", GetIcon).AllowAnonymous().DisableRateLimiting();
        return app;
    }

    /// <summary>The icon (image/x-icon), cacheable for a day.</summary>
    public static FileContentHttpResult GetIcon(HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=86400";
        return TypedResults.File(Icon.Value, "image/x-icon");
    }

    /// <summary>An ICO file holding one 32×32 32-bit BGRA bitmap (bottom-up rows, then an all-zero AND mask).</summary>
    internal static byte[] Draw()
    {
        const int pixelBytes = Size * Size * 4;
        const int maskBytes = Size * (Size / 8);
        const int imageBytes = 40 + pixelBytes + maskBytes;
        var file = new byte[6 + 16 + imageBytes];
        var span = file.AsSpan();
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], 1); // type: icon
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], 1); // one image
        span[6] = Size;
        span[7] = Size;
        BinaryPrimitives.WriteUInt16LittleEndian(span[10..], 1); // planes
        BinaryPrimitives.WriteUInt16LittleEndian(span[12..], 32); // bits per pixel
        BinaryPrimitives.WriteInt32LittleEndian(span[14..], imageBytes);
        BinaryPrimitives.WriteInt32LittleEndian(span[18..], 22);
        var header = span[22..];
        BinaryPrimitives.WriteInt32LittleEndian(header, 40);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], Size);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], Size * 2); // the colour rows and the mask rows
        BinaryPrimitives.WriteUInt16LittleEndian(header[12..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(header[14..], 32);
        BinaryPrimitives.WriteInt32LittleEndian(header[20..], pixelBytes + maskBytes);
        var pixels = header[40..];
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                int tile = 0, stroke = 0;
                for (var sy = 0; sy < Samples; sy++)
                {
                    for (var sx = 0; sx < Samples; sx++)
                    {
                        var px = x + (sx + 0.5f) / Samples;
                        var py = y + (sy + 0.5f) / Samples;
                        if (!InRoundedSquare(px, py)) continue;
                        tile++;
                        if (OnLine(px, py)) stroke++;
                    }
                }
                const float all = Samples * Samples;
                var white = stroke / (float)Math.Max(tile, 1);
                var at = pixels[((((Size - 1 - y) * Size) + x) * 4)..];
                at[0] = (byte)Math.Round(0x77 + (255 - 0x77) * white); // blue
                at[1] = (byte)Math.Round(0xAA + (255 - 0xAA) * white); // green
                at[2] = (byte)Math.Round(0x00 + (255 - 0x00) * white); // red
                at[3] = (byte)Math.Round(255 * tile / all);
            }
        }
        return file;
    }

    private static bool InRoundedSquare(float x, float y)
    {
        const float radius = 7f;
        var dx = Math.Max(Math.Max(radius - x, x - (Size - radius)), 0f);
        var dy = Math.Max(Math.Max(radius - y, y - (Size - radius)), 0f);
        return dx * dx + dy * dy <= radius * radius;
    }

    private static bool OnLine(float x, float y)
    {
        const float halfWidth = 1.6f;
        for (var i = 1; i < Line.Length; i++)
        {
            var (ax, ay) = Line[i - 1];
            var (bx, by) = Line[i];
            float vx = bx - ax, vy = by - ay;
            var t = Math.Clamp(((x - ax) * vx + (y - ay) * vy) / (vx * vx + vy * vy), 0f, 1f);
            float cx = ax + t * vx - x, cy = ay + t * vy - y;
            if (cx * cx + cy * cy <= halfWidth * halfWidth) return true;
        }
        return false;
    }
}
