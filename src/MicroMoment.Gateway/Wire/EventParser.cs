using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using MicroMoment.Events;

namespace MicroMoment.Gateway.Wire;

/// <summary>
/// Parses event bodies (one object, an array of objects, or NDJSON) into <see cref="ParsedEvent"/>s, one per element,
/// in order. A bad element is rejected with a reason and never costs the other elements; a JSON syntax error inside an
/// array ends the body there (everything before it is kept, and one <c>malformed-json</c> entry says where it broke),
/// while in NDJSON it costs only its own line. Only a body in which nothing could be parsed at all fails as a whole.
/// </summary>
internal sealed class EventParser
{
    /// <summary>Longest eventId and userId, characters.</summary>
    public const int MaxIdLength = 128;

    /// <summary>Longest categoryCode, brand and context value, characters.</summary>
    public const int MaxTextLength = 256;

    /// <summary>Longest signal name, characters.</summary>
    public const int MaxSignalLength = 32;

    /// <summary>The prefix of <see cref="ClickEvent.RawType"/> for tracker signals ("signal:dwell").</summary>
    public const string SignalRawTypePrefix = "signal:";

    private const string ExpectedTypes = "view, cart, remove_from_cart, purchase or signal";
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 8 };
    private static readonly SearchValues<char> SignalChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789_-");

    private readonly string _tenant;
    private readonly DateTime _now;
    private readonly TimeSpan? _maxAge;
    private readonly TimeSpan _maxSkew;
    private readonly int _maxEvents;
    private readonly string? _boundUser;
    private string? _foreignUser;
    private int _foreignIndex = -1;

    /// <summary>
    /// Creates a parser for one request: events belong to <paramref name="tenant"/> and are judged against
    /// <paramref name="nowUtc"/>. With <paramref name="boundUserId"/> (a publishable-key caller bound to one shopper) an
    /// event without a userId is that shopper's, and an event naming anyone else refuses the whole body with 403.
    /// </summary>
    public EventParser(string tenant, DateTime nowUtc, GatewayOptions options, string? boundUserId = null)
    {
        _tenant = tenant;
        _boundUser = boundUserId;
        _now = DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc);
        _maxAge = options.MaxEventAge;
        _maxSkew = options.MaxClockSkew;
        _maxEvents = options.MaxEventsPerRequest;
    }

    /// <summary>Appends one entry per element of <paramref name="body"/> to <paramref name="output"/>; returns why the whole body was refused, or null.</summary>
    public ParseFailure? Parse(ReadOnlySpan<byte> body, BodyFormat format, List<ParsedEvent> output)
    {
        if (body.StartsWith("\uFEFF"u8)) body = body[3..];
        if (body.TrimStart(" \t\r\n"u8).IsEmpty)
            return new ParseFailure(400, "Empty body", "The body is empty; expected a JSON event object, a JSON array of event objects, or NDJSON (one event object per line).");
        return format == BodyFormat.Ndjson ? ParseNdjson(body, output) : ParseJson(body, output);
    }

    private ParseFailure? ParseJson(ReadOnlySpan<byte> body, List<ParsedEvent> output)
    {
        var reader = new Utf8JsonReader(body, ReaderOptions);
        try
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                output.Add(ParseObject(ref reader, output.Count));
                if (_foreignUser is not null) return Foreign(output);
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (output.Count >= _maxEvents) return TooMany();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        output.Add(ParseObject(ref reader, output.Count));
                        if (_foreignUser is not null) return Foreign(output);
                        continue;
                    }
                    var kind = reader.TokenType;
                    if (kind == JsonTokenType.StartArray) reader.Skip();
                    output.Add(ParsedEvent.Reject(RejectCodes.NotAnObject, $"Element {output.Count} is a JSON {Describe(kind)}; every event must be a JSON object."));
                }
            }
            else
            {
                return new ParseFailure(400, "Not an event body", $"The body is a JSON {Describe(reader.TokenType)}; expected a JSON event object or a JSON array of event objects.");
            }
            while (reader.Read()) { }
            return null;
        }
        catch (JsonException ex)
        {
            if (output.Count == 0)
                return new ParseFailure(400, "Malformed JSON", $"The body is not valid JSON ({Clean(ex.Message)}); expected a JSON event object, a JSON array of event objects, or NDJSON with Content-Type application/x-ndjson.");
            output.Add(ParsedEvent.Reject(RejectCodes.MalformedJson,
                $"The body stops being valid JSON at byte {reader.BytesConsumed} ({Clean(ex.Message)}); the {output.Count} element(s) before it were processed and nothing after it was read."));
            return null;
        }
    }

    private ParseFailure? ParseNdjson(ReadOnlySpan<byte> body, List<ParsedEvent> output)
    {
        var line = 0;
        var anyParsed = false;
        string? firstError = null;
        while (!body.IsEmpty)
        {
            var newline = body.IndexOf((byte)'\n');
            var text = (newline < 0 ? body : body[..newline]).Trim(" \t\r"u8);
            body = newline < 0 ? default : body[(newline + 1)..];
            line++;
            if (text.IsEmpty) continue;
            if (output.Count >= _maxEvents) return TooMany();
            var reader = new Utf8JsonReader(text, ReaderOptions);
            try
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    var parsed = ParseObject(ref reader, output.Count);
                    if (_foreignUser is not null) return Foreign(output);
                    while (reader.Read()) { }
                    output.Add(parsed);
                }
                else
                {
                    var kind = reader.TokenType;
                    reader.Skip();
                    while (reader.Read()) { }
                    output.Add(ParsedEvent.Reject(RejectCodes.NotAnObject, $"Line {line} is a JSON {Describe(kind)}; each NDJSON line must be one event object."));
                }
                anyParsed = true;
            }
            catch (JsonException ex)
            {
                var detail = $"Line {line} is not valid JSON ({Clean(ex.Message)}); expected one event object per line.";
                firstError ??= detail;
                output.Add(ParsedEvent.Reject(RejectCodes.MalformedJson, detail));
            }
        }
        if (anyParsed) return null;
        if (firstError is not null)
        {
            output.Clear();
            return new ParseFailure(400, "Malformed NDJSON", firstError);
        }
        return new ParseFailure(400, "Empty body", "The NDJSON body has no events; expected one event object per line.");
    }

    private ParseFailure Foreign(List<ParsedEvent> output)
    {
        output.Clear();
        return new ParseFailure(403, "Shopper not bound",
            $"Event {_foreignIndex} names user '{Shorten(_foreignUser!)}', but this publishable-key caller is bound to one shopper (by its shopper token, or the gateway's anonymous cookie); nothing was applied. Omit userId (the bound shopper is used) or send the bound shopper's id; to act for other shoppers, use a server key from a backend.");
    }

    private ParseFailure TooMany() =>
        new(413, "Too many events", $"The body holds more than {_maxEvents:N0} events; send at most {_maxEvents:N0} per request (split the batch).");

    private ParsedEvent ParseObject(ref Utf8JsonReader reader, int index)
    {
        string? eventId = null, userId = null, categoryCode = null, brand = null, signal = null;
        string? device = null, platform = null, referrer = null, page = null, timeZone = null, badType = null;
        long productId = 0, categoryId = 0;
        var price = float.NaN;
        var value = double.NaN;
        DateTime? timestamp = null;
        var type = EventType.View;
        bool hasType = false, isSignal = false;
        string? error = null, detail = null;

        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var field = Classify(ref reader);
            reader.Read();
            switch (field)
            {
                case Field.EventId: ReadId(ref reader, "eventId", ref eventId, ref error, ref detail); break;
                case Field.UserId: ReadId(ref reader, "userId", ref userId, ref error, ref detail); break;
                case Field.Type:
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        hasType = true;
                        isSignal = false;
                        badType = null;
                        if (reader.ValueTextEquals("view"u8)) type = EventType.View;
                        else if (reader.ValueTextEquals("cart"u8)) type = EventType.Cart;
                        else if (reader.ValueTextEquals("remove_from_cart"u8)) type = EventType.RemoveFromCart;
                        else if (reader.ValueTextEquals("purchase"u8)) type = EventType.Purchase;
                        else if (reader.ValueTextEquals("signal"u8)) { type = EventType.Other; isSignal = true; }
                        else badType = Shorten(SafeString(ref reader) ?? "(not UTF-8)");
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        Fail(ref error, ref detail, RejectCodes.InvalidField, $"type is a JSON {Describe(reader.TokenType)}; expected a string: {ExpectedTypes}.");
                    }
                    break;
                case Field.Signal: ReadText(ref reader, "signal", MaxSignalLength, ref signal, ref error, ref detail); break;
                case Field.Value:
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var v) && double.IsFinite(v)) value = v;
                    else if (reader.TokenType != JsonTokenType.Null) Fail(ref error, ref detail, RejectCodes.InvalidField, $"value is a JSON {Describe(reader.TokenType)}; expected a finite number (the signal's measurement) or null.");
                    break;
                case Field.Timestamp: ReadTimestamp(ref reader, ref timestamp, ref error, ref detail); break;
                case Field.ProductId: ReadNonNegativeInteger(ref reader, "productId", ref productId, ref error, ref detail); break;
                case Field.CategoryId: ReadNonNegativeInteger(ref reader, "categoryId", ref categoryId, ref error, ref detail); break;
                case Field.CategoryCode: ReadText(ref reader, "categoryCode", MaxTextLength, ref categoryCode, ref error, ref detail); break;
                case Field.Brand: ReadText(ref reader, "brand", MaxTextLength, ref brand, ref error, ref detail); break;
                case Field.Price:
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var p) && double.IsFinite(p) && p >= 0 && p <= float.MaxValue) price = (float)p;
                    else if (reader.TokenType == JsonTokenType.Null) price = float.NaN;
                    else Fail(ref error, ref detail, RejectCodes.InvalidField, $"price must be a finite, non-negative number or null; got a JSON {Describe(reader.TokenType)}{(reader.TokenType == JsonTokenType.Number ? " out of range" : "")}.");
                    break;
                case Field.Context:
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        ReadContext(ref reader, ref device, ref platform, ref referrer, ref page, ref timeZone, ref error, ref detail);
                        continue;
                    }
                    if (reader.TokenType != JsonTokenType.Null)
                        Fail(ref error, ref detail, RejectCodes.InvalidField, $"context is a JSON {Describe(reader.TokenType)}; expected an object {{device, platform, referrer, page, timeZone}} or null.");
                    break;
            }
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
        }

        if (_boundUser is not null)
        {
            if (userId is null)
            {
                userId = _boundUser;
            }
            else if (!string.Equals(userId, _boundUser, StringComparison.Ordinal))
            {
                _foreignUser = userId;
                _foreignIndex = index;
                return ParsedEvent.Reject(RejectCodes.MissingUserId, "foreign user", eventId);
            }
        }
        if (error is not null) return ParsedEvent.Reject(error, detail!, eventId, userId);
        if (string.IsNullOrWhiteSpace(userId))
            return ParsedEvent.Reject(RejectCodes.MissingUserId, $"The event has {(userId is null ? "no userId" : "a blank userId")}; every event needs the shopper's id (a string with at least one non-blank character).", eventId);
        if (string.IsNullOrEmpty(eventId)) return ParsedEvent.Reject(RejectCodes.MissingEventId, "The event has no eventId; every event needs a unique id (a non-empty string) so that retries are not applied twice.", null, userId);
        if (!hasType) return ParsedEvent.Reject(RejectCodes.MissingType, $"The event has no type; expected {ExpectedTypes}.", eventId, userId);
        if (badType is not null) return ParsedEvent.Reject(RejectCodes.UnknownType, $"type '{badType}' is not an event type; expected {ExpectedTypes}.", eventId, userId);
        if (isSignal && (string.IsNullOrEmpty(signal) || signal.AsSpan().ContainsAnyExcept(SignalChars)))
            return ParsedEvent.Reject(RejectCodes.MissingSignal, $"A signal needs a \"signal\" name of 1 to {MaxSignalLength} lower-case letters, digits, '_' or '-' (e.g. dwell, hesitation, scroll); got {(signal is null ? "none" : $"'{Shorten(signal)}'")}.", eventId, userId);

        var at = timestamp ?? _now;
        if (at - _now > _maxSkew)
            return ParsedEvent.Reject(RejectCodes.TimestampInFuture, $"timestamp {at:O} is {(at - _now).TotalMinutes:0.#} minutes in the future; at most {_maxSkew.TotalMinutes:0.#} minutes ahead of the gateway's clock ({_now:O}) is accepted.", eventId, userId);
        if (_maxAge is { } maxAge && _now - at > maxAge)
            return ParsedEvent.Reject(RejectCodes.TimestampTooOld, $"timestamp {at:O} is {(_now - at).TotalDays:0.##} days old; events older than {maxAge.TotalDays:0.##} days are not accepted.", eventId, userId);

        var context = new EventContext(device, platform, referrer, page, timeZone);
        return new ParsedEvent
        {
            Kind = isSignal ? ParsedKind.Signal : ParsedKind.Event,
            Event = new ClickEvent(_tenant, userId, at, type, productId, categoryId, categoryCode, brand, price, context,
                RawType: isSignal ? SignalRawTypePrefix + signal : null, EventId: eventId),
            EventId = eventId,
            UserId = userId,
            SignalName = isSignal ? signal : null,
            SignalValue = isSignal ? value : double.NaN,
        };
    }

    private static void ReadContext(ref Utf8JsonReader reader, ref string? device, ref string? platform, ref string? referrer, ref string? page, ref string? timeZone, ref string? error, ref string? detail)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var isDevice = reader.ValueTextEquals("device"u8);
            var isPlatform = !isDevice && reader.ValueTextEquals("platform"u8);
            var isReferrer = !isDevice && !isPlatform && reader.ValueTextEquals("referrer"u8);
            var isPage = !isDevice && !isPlatform && !isReferrer && reader.ValueTextEquals("page"u8);
            var isTimeZone = !isDevice && !isPlatform && !isReferrer && !isPage && reader.ValueTextEquals("timeZone"u8);
            reader.Read();
            if (isDevice) ReadText(ref reader, "context.device", MaxTextLength, ref device, ref error, ref detail);
            else if (isPlatform) ReadText(ref reader, "context.platform", MaxTextLength, ref platform, ref error, ref detail);
            else if (isReferrer) ReadText(ref reader, "context.referrer", MaxTextLength, ref referrer, ref error, ref detail);
            else if (isPage) ReadText(ref reader, "context.page", MaxTextLength, ref page, ref error, ref detail);
            else if (isTimeZone) ReadTimeZone(ref reader, ref timeZone, ref error, ref detail);
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
        }
    }

    /// <summary>
    /// context.timeZone: a string (or null). Its value is not judged here: an id that names no zone is accepted with
    /// the event and ignored by the silo (counted), because a shopper's event is worth more than their clock. Ids the
    /// client repeats on every event are interned, so a steady stream of one zone does not allocate a string per event.
    /// </summary>
    private static void ReadTimeZone(ref Utf8JsonReader reader, ref string? target, ref string? error, ref string? detail)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && TimeZoneIds.TryGet(reader.ValueSpan, out var known))
        {
            target = known;
            return;
        }
        ReadText(ref reader, "context.timeZone", MaxTextLength, ref target, ref error, ref detail);
        if (target is not null) target = TimeZoneIds.Intern(target);
    }

    private static void ReadId(ref Utf8JsonReader reader, string name, ref string? target, ref string? error, ref string? detail)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out _))
        {
            target = Encoding.UTF8.GetString(reader.ValueSpan);
            return;
        }
        if (reader.TokenType == JsonTokenType.Null)
        {
            target = null;
            return;
        }
        if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length > MaxIdLength * 6)
        {
            Fail(ref error, ref detail, RejectCodes.InvalidField, reader.TokenType == JsonTokenType.String
                ? $"{name} is longer than {MaxIdLength} characters; expected a shorter id."
                : $"{name} is a JSON {Describe(reader.TokenType)}; expected a string (or an integer) of 1 to {MaxIdLength} characters.");
            return;
        }
        var text = SafeString(ref reader);
        if (text is null)
            Fail(ref error, ref detail, RejectCodes.InvalidField, $"{name} is not valid UTF-8 text; expected a string of 1 to {MaxIdLength} characters.");
        else if (text.Length > MaxIdLength)
            Fail(ref error, ref detail, RejectCodes.InvalidField, $"{name} has {text.Length} characters; expected 1 to {MaxIdLength}.");
        else if (text.AsSpan().ContainsAnyInRange('\0', '\u001f') || text.Contains('\u007f'))
            Fail(ref error, ref detail, RejectCodes.InvalidField, $"{name} contains control characters; expected printable text.");
        else
            target = text.Length == 0 ? null : text;
    }

    private static void ReadText(ref Utf8JsonReader reader, string name, int maxLength, ref string? target, ref string? error, ref string? detail)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            target = null;
            return;
        }
        if (reader.TokenType != JsonTokenType.String)
        {
            Fail(ref error, ref detail, RejectCodes.InvalidField, $"{name} is a JSON {Describe(reader.TokenType)}; expected a string of at most {maxLength} characters, or null.");
            return;
        }
        var text = reader.ValueSpan.Length > maxLength * 6 ? null : SafeString(ref reader);
        if (text is null || text.Length > maxLength)
            Fail(ref error, ref detail, RejectCodes.InvalidField, $"{name} is not a string of at most {maxLength} characters of valid UTF-8 text.");
        else
            target = text.Length == 0 ? null : text;
    }

    private static void ReadNonNegativeInteger(ref Utf8JsonReader reader, string name, ref long target, ref string? error, ref string? detail)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            target = 0;
            return;
        }
        long value = -1;
        var ok = reader.TokenType == JsonTokenType.Number
            ? reader.TryGetInt64(out value)
            : reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped
                && Utf8Parser.TryParse(reader.ValueSpan, out value, out var consumed) && consumed == reader.ValueSpan.Length;
        if (ok && value >= 0) target = value;
        else Fail(ref error, ref detail, RejectCodes.InvalidField, $"{name} must be a non-negative integer (a JSON number, or a string of digits for ids beyond 2^53); got a JSON {Describe(reader.TokenType)}{(ok ? " below zero" : "")}.");
    }

    private static void ReadTimestamp(ref Utf8JsonReader reader, ref DateTime? target, ref string? error, ref string? detail)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            target = null;
            return;
        }
        const string expected = "an ISO 8601 string with a zone designator, e.g. \"2024-05-01T12:30:00Z\" or \"2024-05-01T14:30:00+02:00\"";
        if (reader.TokenType != JsonTokenType.String)
        {
            Fail(ref error, ref detail, RejectCodes.InvalidTimestamp, $"timestamp is a JSON {Describe(reader.TokenType)}; expected {expected}.");
            return;
        }
        var text = reader.ValueSpan;
        var zoned = !reader.ValueIsEscaped && text.Length >= 7
            && (text[^1] is (byte)'Z' or (byte)'z' || (text[^6] is (byte)'+' or (byte)'-' && text[^3] == (byte)':'));
        if (zoned && reader.TryGetDateTimeOffset(out var at))
        {
            target = at.UtcDateTime;
            return;
        }
        var shown = reader.ValueSpan.Length <= 64 ? SafeString(ref reader) : null;
        Fail(ref error, ref detail, RejectCodes.InvalidTimestamp, zoned
            ? $"timestamp '{shown}' is not a valid ISO 8601 date and time; expected {expected}."
            : $"timestamp '{shown}' has no zone designator (Z or an offset), so its instant is ambiguous; expected {expected}.");
    }

    private static string? SafeString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static void Fail(ref string? error, ref string? detail, string code, string message)
    {
        if (error is not null) return;
        error = code;
        detail = message;
    }

    private static Field Classify(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("eventId"u8)) return Field.EventId;
        if (reader.ValueTextEquals("userId"u8)) return Field.UserId;
        if (reader.ValueTextEquals("type"u8)) return Field.Type;
        if (reader.ValueTextEquals("timestamp"u8)) return Field.Timestamp;
        if (reader.ValueTextEquals("productId"u8)) return Field.ProductId;
        if (reader.ValueTextEquals("categoryId"u8)) return Field.CategoryId;
        if (reader.ValueTextEquals("categoryCode"u8)) return Field.CategoryCode;
        if (reader.ValueTextEquals("brand"u8)) return Field.Brand;
        if (reader.ValueTextEquals("price"u8)) return Field.Price;
        if (reader.ValueTextEquals("context"u8)) return Field.Context;
        if (reader.ValueTextEquals("signal"u8)) return Field.Signal;
        if (reader.ValueTextEquals("value"u8)) return Field.Value;
        return Field.Unknown;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString().ToLowerInvariant(),
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";

    private static string Clean(string message) => message.TrimEnd('.');

    private enum Field
    {
        Unknown,
        EventId,
        UserId,
        Type,
        Timestamp,
        ProductId,
        CategoryId,
        CategoryCode,
        Brand,
        Price,
        Context,
        Signal,
        Value,
    }
}
