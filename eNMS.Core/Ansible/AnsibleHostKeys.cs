using System.Diagnostics;
using System.Security.Cryptography;
using eNMS.Drivers;
using eNMS.Drivers.Cli;

namespace eNMS.Core.Ansible;

/// <summary>
/// The known_hosts lines Ansible may trust for a device: the keys <c>ssh-keyscan</c> reads from it, kept only when
/// their SHA-256 fingerprint is the one eNMS already trusts for that address (learned by its own SSH sessions and
/// stored by <c>HostKeyStore</c>). Host key checking stays on in Ansible; a device whose key changed is refused here,
/// naming both fingerprints, as the drivers do.
/// </summary>
public static class AnsibleHostKeys
{
    /// <exception cref="HostKeyMismatchException">No key the device offers has the trusted fingerprint.</exception>
    /// <exception cref="DeviceConnectionException">ssh-keyscan got no key from the device.</exception>
    public static async Task<IReadOnlyList<string>> TrustedLinesAsync(string device, string host, int port, string trustedFingerprint, CancellationToken ct)
    {
        var start = new ProcessStartInfo("ssh-keyscan")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-T", "10", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", "ed25519,ecdsa,rsa", host })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new DeviceConnectionException(device, "ssh-keyscan did not start");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        var offered = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith('#')).ToList();
        if (offered.Count == 0)
        {
            throw new DeviceConnectionException(device, $"ssh-keyscan read no host key from {host}:{port}: {(await errors).Trim()}");
        }
        var trusted = offered.Where(l => Fingerprint(l) == trustedFingerprint).ToList();
        if (trusted.Count == 0)
        {
            throw new HostKeyMismatchException(device, trustedFingerprint, string.Join(", ", offered.Select(Fingerprint)));
        }
        return trusted;
    }

    /// <summary>"SHA256:…" of a known_hosts line ("host type base64"), as ssh-keygen -l and SSH.NET print it.</summary>
    public static string Fingerprint(string knownHostsLine)
    {
        var fields = knownHostsLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        try
        {
            return fields.Length < 3 ? "" : "SHA256:" + Convert.ToBase64String(SHA256.HashData(Convert.FromBase64String(fields[2]))).TrimEnd('=');
        }
        catch (FormatException)
        {
            return "";
        }
    }

    public static string KnownHostsKey(string host, int port) => KnownHosts.KeyFor(host, port);
}
