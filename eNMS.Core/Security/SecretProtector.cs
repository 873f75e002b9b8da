using Microsoft.AspNetCore.DataProtection;

namespace eNMS.Core.Security;

/// <summary>
/// Encrypts device secrets at rest with ASP.NET Core Data Protection (key ring in the data directory unless
/// configured elsewhere). Plaintext only exists in memory, on its way to a device.
/// </summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("eNMS.Credentials.v1");

    public string Protect(string plaintext) => _protector.Protect(plaintext);

    public string Unprotect(string protectedValue) => _protector.Unprotect(protectedValue);

    /// <summary>Write-only field semantics: null or empty keeps what was stored.</summary>
    public string? Update(string? current, string? newPlaintext) =>
        string.IsNullOrEmpty(newPlaintext) ? current : Protect(newPlaintext);
}
