using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MicroMoment.Gateway.Tests;

/// <summary>
/// A minimal OTLP/HTTP receiver on Kestrel (127.0.0.1, a free port): it accepts POST /v1/metrics and keeps each request's
/// content type and body, and POST /v1/traces, keeping each body (<see cref="Traces"/>). Also compiled into the CLI tests.
/// </summary>
internal sealed class OtlpCollector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string? ContentType, byte[] Body)> _requests = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly ConcurrentQueue<byte[]> _traces = new();

    private OtlpCollector(WebApplication app) => _app = app;

    /// <summary>The receiver's base address, e.g. http://127.0.0.1:40123/.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The bodies (ExportTraceServiceRequest, protobuf) of every POST /v1/traces so far.</summary>
    public IReadOnlyList<byte[]> Traces => [.. _traces];

    public static async Task<OtlpCollector> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var collector = new OtlpCollector(app);
        app.MapPost("/v1/metrics", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            collector._requests.Enqueue((context.Request.ContentType, body.ToArray()));
            collector._arrived.Release();
            return Results.Bytes([], "application/x-protobuf"); // an empty ExportMetricsServiceResponse
        });
        app.MapPost("/v1/traces", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            collector._traces.Enqueue(body.ToArray());
            return Results.Bytes([], "application/x-protobuf"); // an empty ExportTraceServiceResponse
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        collector.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return collector;
    }

    /// <summary>Waits (bounded) for an export whose body mentions <paramref name="instrument"/>; returns its content type and body.</summary>
    public async Task<(string? ContentType, byte[] Body)> WaitForAsync(string instrument, TimeSpan timeout)
    {
        var name = System.Text.Encoding.UTF8.GetBytes(instrument);
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            while (_requests.TryDequeue(out var request))
            {
                if (request.Body.AsSpan().IndexOf(name) >= 0) return request;
            }

            try
            {
                await _arrived.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"No OTLP export mentioning {instrument} reached {BaseAddress}v1/metrics within {timeout}.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
