namespace MicroMoment.Silo;

/// <summary>How <see cref="Consent"/> crosses grain calls and lands in grain storage: the tracking flag and the granted categories.</summary>
[GenerateSerializer]
[Alias("mm.Consent")]
public struct ConsentSurrogate
{
    /// <summary>May events be recorded.</summary>
    [Id(0)]
    public bool Tracking;

    /// <summary>The granted categories.</summary>
    [Id(1)]
    public string[]? Categories;
}

/// <summary>Converts <see cref="Consent"/> to and from its surrogate; the default consent comes back as the shared instance.</summary>
[RegisterConverter]
public sealed class ConsentSurrogateConverter : IConverter<Consent, ConsentSurrogate>
{
    /// <inheritdoc/>
    public Consent ConvertFromSurrogate(in ConsentSurrogate surrogate)
    {
        var consent = new Consent(surrogate.Tracking, surrogate.Categories ?? []);
        return consent == Consent.Default ? Consent.Default : consent;
    }

    /// <inheritdoc/>
    public ConsentSurrogate ConvertToSurrogate(in Consent value) => new() { Tracking = value.Tracking, Categories = [.. value.Categories] };
}
