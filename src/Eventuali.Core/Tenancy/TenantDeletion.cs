using System.Security.Cryptography;
using System.Text;

namespace Eventuali.Tenancy;

/// <summary>The confirmation token of a two-step tenant deletion, shared by every backend's factory.</summary>
public static class TenantDeletion
{
    /// <summary>A fresh random token (16 hex characters).</summary>
    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>Whether <paramref name="confirmation"/> is <paramref name="token"/>, compared in constant time.</summary>
    public static bool Confirms(string? token, string? confirmation)
        => token is not null && confirmation is not null
           && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(confirmation.Trim()));

    /// <summary>The error of a purge that was not confirmed; it never holds the expected token.</summary>
    public static TenantDeletionException Refused(TenantId tenant, bool requested) => new(tenant, requested
        ? $"The confirmation token for deleting tenant '{tenant}' is wrong; nothing was removed."
        : $"Deleting tenant '{tenant}' was not requested; request it first (it suspends the tenant and gives the confirmation token).");
}
