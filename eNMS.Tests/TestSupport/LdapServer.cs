using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace eNMS.Tests.TestSupport;

/// <summary>
/// A throwaway OpenLDAP server (Debian's slapd) on free loopback ports, owned by the test class: a generated slapd.conf
/// (mdb database, memberof overlay) in a temp directory, plain LDAP (for StartTLS) and LDAPS with a certificate from a
/// test CA made here, seeded with <see cref="Seed"/>. Fails with a message naming slapd when it is missing, unless
/// ENMS_TEST_SKIP contains "slapd".
/// </summary>
public sealed class LdapServer : IAsyncLifetime
{
    public const string Prerequisite = "slapd";
    public const string BaseDn = "dc=example,dc=org";
    public const string ServiceDn = "cn=enms-search,dc=example,dc=org";
    public const string ServicePassword = "service-account-password";
    private const string RootDn = "cn=admin,dc=example,dc=org";
    private const string RootPassword = "root-password-for-tests";
    private Process? _slapd;
    private string? _directory;

    public static bool Installed => File.Exists("/usr/sbin/slapd") && File.Exists("/usr/bin/ldapadd");

    public int LdapPort { get; private set; }

    public int LdapsPort { get; private set; }

    /// <summary>PEM of the CA that signed the server's certificate.</summary>
    public string CaFile => Path.Combine(_directory!, "ca.pem");

    /// <summary>PEM of another CA, which signed nothing the server presents.</summary>
    public string OtherCaFile => Path.Combine(_directory!, "other-ca.pem");

    public static string UserDn(string uid) => $"uid={uid},ou=people,{BaseDn}";

    public static string GroupDn(string cn) => $"cn={cn},ou=groups,{BaseDn}";

    public async Task InitializeAsync()
    {
        if (Prerequisites.OptedOut(Prerequisite) || !Installed)
        {
            return;
        }
        _directory = Directory.CreateTempSubdirectory("enms-slapd-").FullName;
        Directory.CreateDirectory(Path.Combine(_directory, "db"));
        WriteCertificates(_directory);
        (LdapPort, LdapsPort) = (FreePort(), FreePort());
        var config = Path.Combine(_directory, "slapd.conf");
        await File.WriteAllTextAsync(config, $"""
            include /etc/ldap/schema/core.schema
            include /etc/ldap/schema/cosine.schema
            include /etc/ldap/schema/inetorgperson.schema
            modulepath /usr/lib/ldap
            moduleload back_mdb
            moduleload memberof
            pidfile {_directory}/slapd.pid
            TLSCACertificateFile {_directory}/ca.pem
            TLSCertificateFile {_directory}/server.pem
            TLSCertificateKeyFile {_directory}/server.key
            database mdb
            maxsize 10485760
            suffix "{BaseDn}"
            rootdn "{RootDn}"
            rootpw {RootPassword}
            directory {_directory}/db
            overlay memberof
            access to attrs=userPassword by anonymous auth by self read by * none
            access to * by users read by * none
            """);
        // -d 0 keeps slapd in the foreground as this process's child: disposing kills exactly it.
        _slapd = Process.Start(new ProcessStartInfo("/usr/sbin/slapd",
            ["-f", config, "-h", $"ldap://127.0.0.1:{LdapPort}/ ldaps://127.0.0.1:{LdapsPort}/", "-d", "0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stderr = _slapd.StandardError.ReadToEndAsync();
        _ = _slapd.StandardOutput.ReadToEndAsync();
        for (var attempt = 0; !await AcceptsAsync(LdapPort) || !await AcceptsAsync(LdapsPort); attempt++)
        {
            if (_slapd.HasExited || attempt > 100)
            {
                throw new InvalidOperationException($"slapd did not start: {(_slapd.HasExited ? await stderr : "no answer in 10 s")}");
            }
            await Task.Delay(100);
        }
        await LdapToolAsync("ldapadd", Seed);
    }

    public async Task DisposeAsync()
    {
        if (_slapd is { HasExited: false })
        {
            _slapd.Kill();
            await _slapd.WaitForExitAsync();
        }
        _slapd?.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>Fails the test when slapd is missing (a test opted out of "slapd" is skipped before it gets here).</summary>
    public void Require() => Prerequisites.Require(Prerequisite, _slapd is not null, "install the Debian packages slapd and ldap-utils");

    /// <summary>Removes an entry, as an admin of the directory would.</summary>
    public Task DeleteAsync(string dn) => LdapToolAsync("ldapdelete", dn + "\n");

    /// <summary>Settings for eNMS against this server over LDAPS, with the test CA; <paramref name="more"/> override them.</summary>
    public Dictionary<string, string> Settings(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string>
        {
            ["Ldap:Enabled"] = "true",
            ["Ldap:Url"] = $"ldaps://127.0.0.1:{LdapsPort}",
            ["Ldap:CaCertificateFile"] = CaFile,
            ["Ldap:BindDn"] = ServiceDn,
            ["Ldap:BindPassword"] = ServicePassword,
            ["Ldap:UserSearchBase"] = $"ou=people,{BaseDn}",
            ["Ldap:UserFilter"] = "(uid={0})",
            ["Ldap:GroupSearchBase"] = $"ou=groups,{BaseDn}",
            ["Ldap:TimeoutSeconds"] = "5",
            ["Ldap:RoleMappings:0:Group"] = GroupDn("netadmins"),
            ["Ldap:RoleMappings:0:Role"] = "admin",
            ["Ldap:RoleMappings:1:Group"] = GroupDn("operators"),
            ["Ldap:RoleMappings:1:Role"] = "operator",
            ["Ldap:PoolMappings:0:Group"] = GroupDn("paris-team"),
            ["Ldap:PoolMappings:0:Pools:0"] = "Paris",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }
        return settings;
    }

    /// <summary>alice: admin, limited to Paris. bob: in juniors, a group inside operators (nested). carol: in no mapped
    /// group. dave and erin: operators, for removal. The service account may search; users read nothing but their own entry's
    /// password check.</summary>
    private static string Seed => $"""
        dn: {BaseDn}
        objectClass: dcObject
        objectClass: organization
        o: Example
        dc: example

        dn: {ServiceDn}
        objectClass: organizationalRole
        objectClass: simpleSecurityObject
        cn: enms-search
        userPassword: {ServicePassword}

        dn: ou=people,{BaseDn}
        objectClass: organizationalUnit
        ou: people

        dn: ou=groups,{BaseDn}
        objectClass: organizationalUnit
        ou: groups

        {Person("alice")}
        {Person("bob")}
        {Person("carol")}
        {Person("dave")}
        {Person("erin")}
        {Group("netadmins", UserDn("alice"))}
        {Group("paris-team", UserDn("alice"))}
        {Group("juniors", UserDn("bob"))}
        {Group("operators", GroupDn("juniors"), UserDn("dave"), UserDn("erin"))}
        {Group("others", UserDn("carol"))}
        """;

    public static string PasswordOf(string uid) => $"{uid}-directory-password";

    private static string Person(string uid) => $"""
        dn: {UserDn(uid)}
        objectClass: inetOrgPerson
        uid: {uid}
        cn: {uid}
        sn: {uid}
        userPassword: {PasswordOf(uid)}

        """;

    private static string Group(string cn, params string[] members) => $"""
        dn: {GroupDn(cn)}
        objectClass: groupOfNames
        cn: {cn}
        {string.Join("\n", members.Select(m => "member: " + m))}

        """;

    private async Task LdapToolAsync(string tool, string input)
    {
        var start = new ProcessStartInfo($"/usr/bin/{tool}", ["-x", "-H", $"ldap://127.0.0.1:{LdapPort}", "-D", RootDn, "-w", RootPassword])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {await output}{await error}");
        }
    }

    /// <summary>A CA, a server certificate it signs for 127.0.0.1/localhost, and an unrelated CA, as PEM files.</summary>
    private static void WriteCertificates(string directory)
    {
        using var caKey = RSA.Create(2048);
        using var ca = SelfSignedCa("eNMS test LDAP CA", caKey);
        using var otherKey = RSA.Create(2048);
        using var other = SelfSignedCa("eNMS unrelated CA", otherKey);
        using var serverKey = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = TimeProvider.System.GetUtcNow();
        using var server = request.Create(ca, now.AddDays(-1), now.AddDays(7), RandomNumberGenerator.GetBytes(16));
        File.WriteAllText(Path.Combine(directory, "ca.pem"), ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "other-ca.pem"), other.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "server.pem"), server.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "server.key"), serverKey.ExportPkcs8PrivateKeyPem());
    }

    private static X509Certificate2 SelfSignedCa(string name, RSA key)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = TimeProvider.System.GetUtcNow();
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
