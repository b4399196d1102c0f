using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace MicroMoment.Grains;

/// <summary>
/// Offer ids name the grain that owns the offer, so feedback reaches it from any gateway with no lookup:
/// <c>base64url(UTF-8 of "tenant/user") + "." + sequence in hex</c>. They are opaque to clients.
/// </summary>
public static class OfferKeys
{
    private const int MaxKeyBytes = 1024;

    /// <summary>The id of the <paramref name="sequence"/>-th offer of the grain keyed <paramref name="grainKey"/>.</summary>
    public static string Create(string grainKey, int sequence)
    {
        ArgumentNullException.ThrowIfNull(grainKey);
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        return string.Concat(Base64Url.EncodeToString(Encoding.UTF8.GetBytes(grainKey)), ".", sequence.ToString("x", CultureInfo.InvariantCulture));
    }

    /// <summary>The grain key an offer id names; false when the id is not one this project made.</summary>
    public static bool TryGetGrainKey(string offerId, out string grainKey)
    {
        grainKey = "";
        if (string.IsNullOrEmpty(offerId)) return false;
        int dot = offerId.LastIndexOf('.');
        if (dot <= 0 || dot == offerId.Length - 1 || dot > MaxKeyBytes * 2) return false;
        if (!int.TryParse(offerId.AsSpan(dot + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _)) return false;
        var encoded = offerId.AsSpan(0, dot);
        Span<byte> bytes = stackalloc byte[MaxKeyBytes];
        if (Base64Url.DecodeFromChars(encoded, bytes, out int consumed, out int written) != System.Buffers.OperationStatus.Done || consumed != encoded.Length) return false;
        string key;
        try
        {
            key = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes[..written]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        int slash = key.IndexOf('/');
        if (slash <= 0 || slash == key.Length - 1) return false;
        grainKey = key;
        return true;
    }
}
