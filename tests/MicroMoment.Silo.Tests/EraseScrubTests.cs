using System.Text;
using MicroMoment.Events;
using static MicroMoment.Silo.Tests.SiloTestData;

namespace MicroMoment.Silo.Tests;

/// <summary>An erased shopper leaves no trace in the bytes of the data directory (state file, write-ahead log, shared memory).</summary>
public class EraseScrubTests
{
    private const string Shopper = "erase-me-7f3a9c2e";
    private const int ShopperEvents = 12;

    [Fact]
    public async Task AnErasedShoppersIdAndEventIdsAreInNoFileAfterAGracefulStop()
    {
        using var dir = new TempDirectory();
        await using (var silo = await StartAsync(dir))
        {
            await FeedAsync(silo);
            Assert.True(await silo.EraseUserAsync(ClickEvent.DefaultTenant, Shopper));
            await FeedOthersAsync(silo, round: 9);
        }

        var hits = Scan(dir.Path);
        Assert.True(hits.Count == 0, "still in the data directory: " + string.Join(", ", hits));
    }

    [Fact]
    public async Task AnErasedShoppersIdAndEventIdsAreInNoFileOnceTheEraseReturns()
    {
        using var dir = new TempDirectory();
        await using var silo = await StartAsync(dir);
        await FeedAsync(silo);

        Assert.True(await silo.EraseUserAsync(ClickEvent.DefaultTenant, Shopper));

        var hits = Scan(dir.Path);
        Assert.True(hits.Count == 0, "still in the data directory: " + string.Join(", ", hits));
    }

    [Fact]
    public async Task TheScanFindsAShopperThatWasNotErased()
    {
        using var dir = new TempDirectory();
        await using (var silo = await StartAsync(dir))
        {
            await FeedAsync(silo);
        }

        var hits = Scan(dir.Path);
        Assert.Contains(hits, h => h.StartsWith(Shopper + " in grains.db", StringComparison.Ordinal));
        for (int i = ShopperEvents - 4; i < ShopperEvents; i++) Assert.Contains(hits, h => h.StartsWith(EventId(i) + " in ", StringComparison.Ordinal));
    }

    private static Task<EmbeddedSilo> StartAsync(TempDirectory dir) =>
        EmbeddedSilo.StartAsync(BundledModel, new SiloOptions { DataDirectory = dir.Path });

    /// <summary>
    /// The shopper's events arrive over several write rounds among other shoppers', so the file held several versions of
    /// their row (rewritten in place or moved between pages) before the erase.
    /// </summary>
    private static async Task FeedAsync(EmbeddedSilo silo)
    {
        for (int round = 0; round < 4; round++)
        {
            var events = new List<ClickEvent>();
            for (int i = round * ShopperEvents / 4; i < (round + 1) * ShopperEvents / 4; i++) events.Add(Event(Shopper, i, id: EventId(i)));
            await silo.IngestAsync(events);
            await FeedOthersAsync(silo, round);
        }
    }

    private static async Task FeedOthersAsync(EmbeddedSilo silo, int round)
    {
        var events = new List<ClickEvent>();
        for (int u = 0; u < 300; u++) events.Add(Event($"other-{u}", round, id: $"other-{u}-{round}"));
        await silo.IngestAsync(events);
        await silo.FlushAsync();
    }

    private static string EventId(int i) => $"evt-7f3a9c2e-{i:D3}";

    /// <summary>Every occurrence of the shopper's id or of one of their event ids (UTF-8) in any file of the directory.</summary>
    private static List<string> Scan(string directory)
    {
        var needles = new[] { Shopper }.Concat(Enumerable.Range(0, ShopperEvents).Select(EventId)).ToArray();
        var hits = new List<string>();
        foreach (var file in Directory.GetFiles(directory))
        {
            // The storage's lock file holds the owner's process id only, and is locked while the silo runs.
            if (file.EndsWith(".lock", StringComparison.Ordinal)) continue;
            byte[] bytes;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                bytes = new byte[stream.Length];
                stream.ReadExactly(bytes);
            }

            foreach (var needle in needles)
            {
                byte[] pattern = Encoding.UTF8.GetBytes(needle);
                int count = 0;
                for (int at = bytes.AsSpan().IndexOf(pattern); at >= 0; at = bytes.AsSpan(at + 1).IndexOf(pattern) is var next and >= 0 ? at + 1 + next : -1) count++;
                if (count > 0) hits.Add($"{needle} in {Path.GetFileName(file)} ({count}x)");
            }
        }

        return hits;
    }
}
