namespace MicroMoment.Grains;

/// <summary>
/// Keys of the per-shopper grains: <c>tenant/user</c>. Tenants never contain '/', user ids may; the key splits at
/// the first '/'.
/// </summary>
public static class GrainKeys
{
    /// <summary>The key of <paramref name="userId"/> of <paramref name="tenant"/>.</summary>
    /// <exception cref="ArgumentException">The tenant is empty or contains '/', or the user id is blank.</exception>
    public static string Of(string tenant, string userId)
    {
        if (string.IsNullOrEmpty(tenant) || tenant.Contains('/'))
            throw new ArgumentException($"The tenant '{tenant}' is empty or contains '/'; expected the shop's tenant id (\"default\" for single-tenant use).", nameof(tenant));
        if (string.IsNullOrWhiteSpace(userId)) throw new ArgumentException("The user id is blank; expected the shopper's id.", nameof(userId));
        return string.Concat(tenant, "/", userId);
    }

    /// <summary>Splits a key made by <see cref="Of"/>.</summary>
    /// <exception cref="FormatException">The key has no '/'.</exception>
    public static (string Tenant, string UserId) Split(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        int slash = key.IndexOf('/');
        if (slash <= 0 || slash == key.Length - 1) throw new FormatException($"The grain key '{key}' is not 'tenant/user'.");
        return (key[..slash], key[(slash + 1)..]);
    }
}
