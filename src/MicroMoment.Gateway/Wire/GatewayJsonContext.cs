using System.Text.Json;
using System.Text.Json.Serialization;

namespace MicroMoment.Gateway.Wire;

/// <summary>Source-generated JSON for every wire type: camelCase names, nulls left out.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EventBatchResponse))]
[JsonSerializable(typeof(UserStateResponse))]
[JsonSerializable(typeof(ConsentDto))]
[JsonSerializable(typeof(ConsentResponse))]
[JsonSerializable(typeof(EraseResponse))]
[JsonSerializable(typeof(FeedbackResponse))]
[JsonSerializable(typeof(StreamMessage))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(ShopperTokenResponse))]
[JsonSerializable(typeof(OfferDto))]
[JsonSerializable(typeof(MicroMoment.Silo.PolicyStatus))]
[JsonSerializable(typeof(MicroMoment.Gateway.Apis.AlertsResponse))]
[JsonSerializable(typeof(MicroMoment.Silo.ExperimentsReport))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
