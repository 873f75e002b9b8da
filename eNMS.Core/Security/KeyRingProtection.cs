using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace eNMS.Core.Security;

/// <summary>Bound from the "DataProtection" section: where the key ring lives and the certificate that encrypts it.</summary>
public sealed class KeyRingOptions
{
    /// <summary>Where the key files are written (default: DATA_DIR/keys).</summary>
    public string KeyDirectory { get; set; } = "";

    /// <summary>A PKCS#12 (.pfx) file with the certificate and private key that encrypt every key at rest.</summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>Its password (better given as the environment variable <c>DataProtection__CertificatePassword</c>).</summary>
    public string CertificatePassword { get; set; } = "";

    /// <summary>Certificates used before a rotation: still needed to read the keys they encrypted.</summary>
    public List<string> PreviousCertificatePaths { get; set; } = [];

    public string PreviousCertificatePassword { get; set; } = "";
}

/// <summary>
/// Encrypts the Data Protection key ring at rest with an X.509 certificate from configuration: the key files then
/// hold only ciphertext, so a copy of the data directory (or of a backup) is useless without the certificate, which
/// operations keep elsewhere (a secret store, a mounted secret). Without a certificate the keys are written in clear
/// (as ASP.NET Core does by default on Linux) and a warning says so at every start.
/// </summary>
public static class KeyRingProtection
{
    /// <exception cref="InvalidOperationException">A configured certificate cannot be read; the message names the setting.</exception>
    public static IDataProtectionBuilder ProtectKeyRing(this IDataProtectionBuilder builder, KeyRingOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        if (options.CertificatePath.Length == 0)
        {
            builder.Services.AddHostedService<UnencryptedKeyRingWarning>();
            return builder;
        }
        var current = Load(options.CertificatePath, options.CertificatePassword, "DataProtection:CertificatePath");
        var previous = options.PreviousCertificatePaths.Select((path, i) =>
            Load(path, options.PreviousCertificatePassword, $"DataProtection:PreviousCertificatePaths:{i}"));
        // The current certificate encrypts new keys; it and the previous ones decrypt the keys already in the ring.
        return builder.ProtectKeysWithCertificate(current).UnprotectKeysWithAnyCertificate([current, .. previous]);
    }

    private static X509Certificate2 Load(string path, string password, string setting)
    {
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password.Length > 0 ? password : null);
            return certificate.HasPrivateKey ? certificate
                : throw new InvalidOperationException($"{setting}: {path} has no private key; the key ring needs one to be read back");
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{setting}: cannot read the certificate {path} ({e.Message}); " +
                "give a PKCS#12 file with its private key and its password (DataProtection:CertificatePassword)", e);
        }
    }

    private sealed class UnencryptedKeyRingWarning(ILogger<UnencryptedKeyRingWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            logger.LogWarning("The Data Protection key ring (which decrypts device credentials) is stored unencrypted: " +
                "set DataProtection:CertificatePath to a .pfx certificate to encrypt it at rest (see README, 'The key ring').");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
