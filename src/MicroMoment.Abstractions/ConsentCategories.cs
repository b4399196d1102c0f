using System.Buffers;

namespace MicroMoment.Silo;

/// <summary>The rules for consent category names, shared by the consent API and the policy loader.</summary>
public static class ConsentCategories
{
    /// <summary>The category that lets the trigger make offers; what the two-flag consent's <c>offers</c> means.</summary>
    public const string Offers = "offers";

    /// <summary>Reserved in a policy rule (<c>consent: none</c>: the rule needs no consent); never a category.</summary>
    public const string None = "none";

    /// <summary>Longest category name, characters.</summary>
    public const int MaxLength = 32;

    /// <summary>Most categories one shopper may grant.</summary>
    public const int MaxPerUser = 16;

    /// <summary>What a category name must look like, for messages.</summary>
    public const string Expected = "a lower-case name of 1 to 32 letters, digits, '_' or '-' (e.g. offers, personalization, marketing, analytics)";

    private static readonly SearchValues<char> NameChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789_-");

    /// <summary>True when <paramref name="name"/> is a valid category name ([a-z0-9_-]{1,32}, not "none").</summary>
    public static bool IsValid(string? name) => Problem(name) is null;

    /// <summary>Null for a valid name; otherwise the end of a sentence that starts with the subject ("'X' is not ...; expected ...").</summary>
    public static string? Problem(string? name)
    {
        if (name is null) return $"is null; expected {Expected}.";
        if (name == None) return $"'none' is reserved (a rule's \"consent: none\" means it needs no consent); expected {Expected}.";
        if (name.Length == 0 || name.Length > MaxLength || name.AsSpan().ContainsAnyExcept(NameChars))
            return $"'{(name.Length <= 40 ? name : name[..40] + "...")}' is not a category name; expected {Expected}.";
        return null;
    }
}
