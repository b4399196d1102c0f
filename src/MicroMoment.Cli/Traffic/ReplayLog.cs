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
        var (logged, skipped, report) = ReadOrdered(files);
        var ordered = new ShopperEvent[logged.Length];
        for (var i = 0; i < logged.Length; i++) ordered[i] = ToWire(logged[i], logged[i].EventId!)!;
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

    /// <summary>
    /// Reads every file and keeps the events the wire carries, with their replay ids ("r{file}-{row}"), in event-time
    /// order (ties keep file order): exactly the events, ids and order <see cref="Load"/> sends.
    /// </summary>
    /// <returns>The events, how many of other types were left out, and what the readers accepted and rejected.</returns>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="NoUsableRowsException">No file had a usable row.</exception>
    public static (ClickEvent[] Events, int Skipped, IngestReport Report) ReadOrdered(IReadOnlyList<FileInfo> files)
    {
        var report = new IngestReport();
        var events = new List<ClickEvent>();
        var skipped = 0;
        for (var f = 0; f < files.Count; f++)
        {
            if (!files[f].Exists) throw new FileNotFoundException($"Data file '{files[f].FullName}' does not exist.", files[f].FullName);
            long row = 0;
            foreach (var e in EventLogReader.Read(files[f].FullName, report))
            {
                var id = EventId(f, row++);
                if (IsCarried(e.Type)) events.Add(e with { EventId = id });
                else skipped++;
            }
        }
        report.ThrowIfNoUsableRows();
        var ordered = events.Select((e, i) => (e, i)).OrderBy(p => p.e.Timestamp).ThenBy(p => p.i).Select(p => p.e).ToArray();
        return (ordered, skipped, report);
    }

    /// <summary>True for the event types the wire carries (view, cart, remove_from_cart, purchase).</summary>
    public static bool IsCarried(EventType type) => WireKind(type) is not null;

    /// <summary>The wire kind of a logged event type, or null when the wire does not carry it.</summary>
    private static EventKind? WireKind(EventType type) => type switch
    {
        EventType.View => EventKind.View,
        EventType.Cart => EventKind.Cart,
        EventType.RemoveFromCart => EventKind.RemoveFromCart,
        EventType.Purchase => EventKind.Purchase,
        _ => null,
    };

    /// <summary>The wire form of a logged event, or null when its type has no wire name.</summary>
    public static ShopperEvent? ToWire(in ClickEvent e, string eventId)
    {
        if (WireKind(e.Type) is not { } kind) return null;
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
