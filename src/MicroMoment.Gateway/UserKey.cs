namespace MicroMoment.Gateway;

/// <summary>The one key of a shopper inside the gateway: tenant and user id joined by a newline (neither may contain one).</summary>
internal static class UserKey
{
    /// <summary>The key of (<paramref name="tenant"/>, <paramref name="userId"/>).</summary>
    public static string Of(string tenant, string userId) => string.Concat(tenant, "\n", userId);
}
