using Microsoft.AspNetCore.Http.HttpResults;

namespace MicroMoment.Gateway.Apis;

/// <summary>RFC 7807 problem results with a message that says what was wrong and what was expected.</summary>
internal static class Problems
{
    /// <summary>A problem+json result.</summary>
    public static ProblemHttpResult Of(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);

    /// <summary>400 naming <paramref name="field"/> for a user id that cannot be one (empty, blank, too long, control characters).</summary>
    public static bool TryValidateUserId(string? userId, out ProblemHttpResult? problem, string field = "id")
    {
        if (!Auth.ShopperTokens.IsValidUserId(userId))
        {
            var got = userId is null || userId.Length == 0 ? "nothing"
                : string.IsNullOrWhiteSpace(userId) ? $"{userId.Length} blank character(s)"
                : userId.Length > Wire.EventParser.MaxIdLength ? $"{userId.Length} characters"
                : "control characters";
            problem = Of(400, "Invalid user id", $"The user id ('{field}') must be 1 to {Wire.EventParser.MaxIdLength} printable characters, not only blanks; got {got}.");
            return false;
        }
        problem = null;
        return true;
    }
}
