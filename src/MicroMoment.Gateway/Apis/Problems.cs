using Microsoft.AspNetCore.Http.HttpResults;

namespace MicroMoment.Gateway.Apis;

/// <summary>RFC 7807 problem results with a message that says what was wrong and what was expected.</summary>
internal static class Problems
{
    /// <summary>A problem+json result.</summary>
    public static ProblemHttpResult Of(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);

    /// <summary>400 for a user id that cannot be one.</summary>
    public static bool TryValidateUserId(string? userId, out ProblemHttpResult? problem)
    {
        if (string.IsNullOrEmpty(userId) || userId.Length > Wire.EventParser.MaxIdLength || userId.AsSpan().ContainsAnyInRange('\0', '\u001f'))
        {
            problem = Of(400, "Invalid user id", $"The user id in the path must be 1 to {Wire.EventParser.MaxIdLength} printable characters; got {(userId is null ? "none" : $"{userId.Length} characters")}.");
            return false;
        }
        problem = null;
        return true;
    }
}
