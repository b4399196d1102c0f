using System.Text.Json;
using System.Text.Json.Serialization;

namespace MicroMoment.Client;

/// <summary>Source-generated JSON for the client's wire types: camelCase, nulls left out.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ShopperEvent))]
[JsonSerializable(typeof(List<ShopperEvent>))]
[JsonSerializable(typeof(IngestResult))]
[JsonSerializable(typeof(UserState))]
[JsonSerializable(typeof(ConsentState))]
[JsonSerializable(typeof(FeedbackResult))]
[JsonSerializable(typeof(EraseResult))]
[JsonSerializable(typeof(ProblemBody))]
[JsonSerializable(typeof(StreamEnvelope))]
[JsonSerializable(typeof(StreamFeedback))]
[JsonSerializable(typeof(StreamReply))]
[JsonSerializable(typeof(FeedbackBody))]
[JsonSerializable(typeof(ShopperTokenRequest))]
[JsonSerializable(typeof(ShopperTokenResult))]
internal sealed partial class ClientJsonContext : JsonSerializerContext;
