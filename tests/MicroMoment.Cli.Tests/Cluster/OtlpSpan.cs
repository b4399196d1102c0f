using Google.Protobuf;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>One span of an OTLP export as the test reads it: the exporting process's role, and the span's ids, name and kind.</summary>
internal sealed record OtlpSpan(string? Role, string Scope, string TraceId, string SpanId, string ParentSpanId, string Name, int Kind)
{
    /// <summary>OTLP's SPAN_KIND_SERVER.</summary>
    public const int Server = 2;

    /// <summary>OTLP's SPAN_KIND_CLIENT.</summary>
    public const int Client = 3;

    /// <summary>
    /// The spans of an ExportTraceServiceRequest (opentelemetry/proto/collector/trace/v1), read field by field:
    /// resource_spans(1){ resource(1){ attributes(1) }, scope_spans(2){ scope(1){ name(1) }, spans(2) } }.
    /// </summary>
    public static List<OtlpSpan> Read(byte[] request, string roleAttribute)
    {
        var spans = new List<OtlpSpan>();
        foreach (var resourceSpans in Fields(request, 1))
        {
            string? role = null;
            foreach (var resource in Fields(resourceSpans, 1))
            {
                foreach (var attribute in Fields(resource, 1))
                {
                    string key = Fields(attribute, 1).Select(b => b.ToStringUtf8()).FirstOrDefault() ?? "";
                    if (key == roleAttribute) role = Fields(attribute, 2).SelectMany(v => Fields(v, 1)).Select(b => b.ToStringUtf8()).FirstOrDefault();
                }
            }

            foreach (var scopeSpans in Fields(resourceSpans, 2))
            {
                string scope = Fields(scopeSpans, 1).SelectMany(s => Fields(s, 1)).Select(b => b.ToStringUtf8()).FirstOrDefault() ?? "";
                foreach (var span in Fields(scopeSpans, 2))
                {
                    string Hex(int field) => Convert.ToHexStringLower(Fields(span, field).FirstOrDefault()?.ToByteArray() ?? []);
                    spans.Add(new OtlpSpan(role, scope, Hex(1), Hex(2), Hex(4), Fields(span, 5).FirstOrDefault()?.ToStringUtf8() ?? "", ReadKind(span)));
                }
            }
        }

        return spans;
    }

    /// <summary>The length-delimited values of field <paramref name="number"/> of a message.</summary>
    private static List<ByteString> Fields(ByteString message, int number) => Fields(message.ToByteArray(), number);

    private static List<ByteString> Fields(byte[] message, int number)
    {
        var values = new List<ByteString>();
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == number && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited) values.Add(input.ReadBytes());
            else input.SkipLastField();
        }

        return values;
    }

    private static int ReadKind(ByteString span)
    {
        var input = new CodedInputStream(span.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 6 && WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint) return input.ReadEnum();
            input.SkipLastField();
        }

        return 0;
    }
}
