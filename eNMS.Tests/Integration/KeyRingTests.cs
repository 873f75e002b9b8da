using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>The Data Protection key ring encrypted at rest with a certificate from configuration.</summary>
public sealed class KeyRingTests : IDisposable
{
    private readonly DirectoryInfo _certificates = Directory.CreateTempSubdirectory("engine-keyring-");

    public void Dispose() => _certificates.Delete(recursive: true);

    private string Certificate(string name, string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN=eNMS key ring {name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(TimeProvider.System.GetUtcNow().AddDays(-1), TimeProvider.System.GetUtcNow().AddYears(2));
        var path = Path.Combine(_certificates.FullName, $"{name}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return path;
    }

    private static WebApplicationFactory<Program> With(EnmsAppFactory app, params (string Key, string Value)[] settings) =>
        app.WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });

    private static string KeyFiles(string dataDirectory) =>
        string.Join('\n', Directory.GetFiles(Path.Combine(dataDirectory, "keys"), "*.xml").Select(File.ReadAllText));

    [Fact]
    public async Task Keys_are_written_encrypted_and_read_back_after_a_restart_and_a_certificate_rotation()
    {
        var first = Certificate("first", "first-password");
        var second = Certificate("second", "second-password");
        string protectedSecret;
        await using (var app = new EnmsAppFactory())
        {
            await using (var running = With(app, ("DataProtection:CertificatePath", first), ("DataProtection:CertificatePassword", "first-password")))
            {
                protectedSecret = running.Services.GetRequiredService<SecretProtector>().Protect("device-password");
            }
            var keys = KeyFiles(app.DataDirectory);
            Assert.Contains("EncryptedData", keys, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", keys.Replace("<encryptedSecret", "", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.DoesNotContain("This key is not encrypted", keys, StringComparison.Ordinal);

            // Rotation: a new certificate encrypts new keys, the previous one still reads the old keys.
            await using var rotated = With(app, ("DataProtection:CertificatePath", second), ("DataProtection:CertificatePassword", "second-password"),
                ("DataProtection:PreviousCertificatePaths:0", first), ("DataProtection:PreviousCertificatePassword", "first-password"));
            Assert.Equal("device-password", rotated.Services.GetRequiredService<SecretProtector>().Unprotect(protectedSecret));
        }
    }

    [Fact]
    public async Task A_key_ring_copied_without_its_certificate_cannot_be_read()
    {
        var certificate = Certificate("only", "only-password");
        await using var app = new EnmsAppFactory();
        string protectedSecret;
        await using (var running = With(app, ("DataProtection:CertificatePath", certificate), ("DataProtection:CertificatePassword", "only-password")))
        {
            protectedSecret = running.Services.GetRequiredService<SecretProtector>().Protect("device-password");
        }

        await using var withoutCertificate = With(app);

        Assert.ThrowsAny<CryptographicException>(() => withoutCertificate.Services.GetRequiredService<SecretProtector>().Unprotect(protectedSecret));
    }

    [Fact]
    public async Task A_wrong_certificate_password_stops_the_start_with_the_setting_named()
    {
        var certificate = Certificate("locked", "right-password");
        await using var app = new EnmsAppFactory();
        await using var wrong = With(app, ("DataProtection:CertificatePath", certificate), ("DataProtection:CertificatePassword", "wrong-password"));

        var error = Assert.ThrowsAny<Exception>(() => wrong.Services);

        Assert.Contains("DataProtection:CertificatePath", error.ToString(), StringComparison.Ordinal);
    }
}
