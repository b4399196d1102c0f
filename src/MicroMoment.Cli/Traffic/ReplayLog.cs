using System.Globalization;
using MicroMoment.Client;
using MicroMoment.Data;
using MicroMoment.Events;

namespace MicroMoment.Cli.Traffic;

/// <summary>
/// A log read for replay: every event as a wire event in event-time order (stable: ties keep file order), with a
/// deterministic event id "r{file}-{row}" so a resent event is a duplicate and never applied twice.
/// </summary>
/// <param name="Events">The events in event-time order.</param>
/// <param name="Skipped">Events of types the wire does not carry (neither view, cart, remove_from_cart nor purchase).</param>
/// <param name="Shift">How far timestamps were moved (whole days; zero unless shifted to now).</param>
/// <param name="Report">What the readers accepted and rejected.</param>
internal sealed record ReplayLog(ShopperEvent[] Events, int Skipped, TimeSpan Shift, IngestReport Report)
{
    /// <summary>The event id replay gives the <paramref name="row"/>-th event (0-based, in reading order) of file <paramref name="file"/>.</summary>
    public static string EventId(int file, long row) => string.Create(CultureInfo.InvariantCulture, $"r{file}-{row}");

    /// <summary>Reads every file and orders the events by time.</summary>
    /// <param name="files">REES46 CSV or YOOCHOOSE logs, plain or gzip.</param>
    /// <param name="shiftToNow">Move every timestamp by whole days so the newest event is in the last day (keeps gaps and hour of day).</param>
    /// <param name="now">The current time (UTC) for <paramref name="shiftToNow"/>.</param>
    public static ReplayLog Load(IReadOnlyList<FileInfo> files, bool shiftToNow, DateTime now)
    {
        var report = new IngestReport();
        var events = new List<(DateTime At, ShopperEvent Event)>();
        var skipped = 0;
        for (var f = 0; f < files.Count; f++)
        {
            if (!files[f].Exists) throw new FileNotFoundException($"Data file '{files[f].FullName}' does not exist.", files[f].FullName);
            long row = 0;
            foreach (var e in EventLogReader.Read(files[f].FullName, report))
            {
                var id = EventId(f, row++);
                if (ToWire(e, id) is { } wire) events.Add((e.Timestamp, wire));
                else skipped++;
            }
        }
        report.ThrowIfNoUsableRows();
        var ordered = events.Select((e, i) => (e.At, e.Event, i)).OrderBy(e => e.At).ThenBy(e => e.i).Select(e => e.Event).ToArray();
        var shift = TimeSpan.Zero;
        if (shiftToNow && ordered.Length > 0)
        {
            var newest = ordered[^1].Timestamp!.Value.UtcDateTime;
            shift = TimeSpan.FromDays(Math.Floor((now - newest).TotalDays));
            if (shift != TimeSpan.Zero)
                for (var i = 0; i < ordered.Length; i++) ordered[i] = ordered[i] with { Timestamp = ordered[i].Timestamp!.Value + shift };
        }
        return new ReplayLog(ordered, skipped, shift, report);
    }

    /// <summary>The wire form of a logged event, or null when its type has no wire name.</summary>
    public static ShopperEvent? ToWire(in ClickEvent e, string eventId)
    {
        EventKind kind;
        switch (e.Type)
        {
            case EventType.View: kind = EventKind.View; break;
            case EventType.Cart: kind = EventKind.Cart; break;
            case EventType.RemoveFromCart: kind = EventKind.RemoveFromCart; break;
            case EventType.Purchase: kind = EventKind.Purchase; break;
            default: return null;
        }
        var context = e.Context.IsEmpty ? null : new ShopperContext(e.Context.Device, e.Context.Platform, e.Context.Referrer, e.Context.Page);
        return new ShopperEvent
        {
            EventId = eventId,
            UserId = e.UserId,
            Type = kind,
            Timestamp = new DateTimeOffset(DateTime.SpecifyKind(e.Timestamp, DateTimeKind.Utc)),
            ProductId = e.ProductId,
            CategoryId = e.CategoryId,
            CategoryCode = e.CategoryCode,
            Brand = e.Brand,
            Price = float.IsNaN(e.Price) ? null : e.Price,
            Context = context,
        };
    }
}
