namespace MicroMoment.Silo.Runtime;

/// <summary>The identity of a user grain: tenant and user id, compared ordinally.</summary>
/// <param name="Tenant">The shop.</param>
/// <param name="UserId">The shopper.</param>
internal readonly record struct GrainKey(string Tenant, string UserId)
{
    /// <summary>"tenant/user" for messages.</summary>
    public override string ToString() => $"{Tenant}/{UserId}";
}
