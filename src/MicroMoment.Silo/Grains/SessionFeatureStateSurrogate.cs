using MicroMoment.Features;

namespace MicroMoment.Silo.Grains;

/// <summary>How a <see cref="SessionFeatureState"/> lands in grain storage: its own versioned byte layout.</summary>
[GenerateSerializer]
[Alias("mm.SessionFeatureState")]
internal struct SessionFeatureStateSurrogate
{
    /// <summary>The bytes <see cref="SessionFeatureState.WriteTo"/> wrote.</summary>
    [Id(0)]
    public byte[]? Bytes;
}

/// <summary>Converts <see cref="SessionFeatureState"/> to and from its surrogate (at checkpoints, never per event).</summary>
[RegisterConverter]
internal sealed class SessionFeatureStateSurrogateConverter : IConverter<SessionFeatureState, SessionFeatureStateSurrogate>
{
    /// <inheritdoc/>
    public SessionFeatureState ConvertFromSurrogate(in SessionFeatureStateSurrogate surrogate) =>
        surrogate.Bytes is { Length: > 0 } bytes ? SessionFeatureState.ReadFrom(bytes) : default;

    /// <inheritdoc/>
    public SessionFeatureStateSurrogate ConvertToSurrogate(in SessionFeatureState value)
    {
        var bytes = new byte[SessionFeatureState.SizeInBytes];
        value.WriteTo(bytes);
        return new SessionFeatureStateSurrogate { Bytes = bytes };
    }
}
