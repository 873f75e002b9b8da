using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Security;
using eNMS.Drivers;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Automation.Execution;

/// <summary>
/// Turns an inventory device into a driver target: address, port, platform and the credential that applies to it
/// (decrypted only here, on its way to the device). It is also THE place that decides where eNMS dials a device:
/// SSH sessions, <c>ping</c>, <c>tcp_port</c>, the Ansible inventory and the web terminal all ask it, so a new way of
/// reaching devices gets the same rule by asking too. The rule: a device is reached at its address, else at its name;
/// a simulated device is answered in process and never dialled; a documentation address (RFC 5737/3849) is never
/// dialled (the demo network lives there, and a real device given one by mistake must fail with a clear reason
/// rather than send traffic to whoever holds that range).
/// </summary>
public sealed class DeviceTargets(IDbContextFactory<EnmsDbContext> dbFactory, SecretProtector secrets)
{
    /// <summary>Where the device is reached: its address, else its name (resolved when dialled).</summary>
    public static string HostOf(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.Address.Length > 0 ? device.Address : device.Name;
    }

    /// <summary>Why eNMS must not send this device a packet over the network, or null when it may.</summary>
    public static string? NetworkRefusal(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.Simulated
            ? "the device is simulated: eNMS's simulator answers for it in process and it is never dialled over the network"
            : DocumentationAddresses.Refusal(HostOf(device));
    }

    /// <summary>The host to send packets to, for every path that leaves the server (SSH, ICMP, TCP, Ansible, terminal).</summary>
    /// <exception cref="DeviceConnectionException">The device is simulated or its host is a documentation address.</exception>
    public static string NetworkHostOf(Device device) =>
        NetworkRefusal(device) is { } refusal ? throw new DeviceConnectionException(device.Name, refusal) : HostOf(device);

    /// <exception cref="DeviceException">No credential applies to the device, or it must not be dialled
    /// (<see cref="DeviceConnectionException"/>, said before any credential is looked at).</exception>
    public async Task<DeviceTarget> ForAsync(Device device, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (!device.Simulated)
        {
            _ = NetworkHostOf(device);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var credential = await CredentialResolver.ResolveAsync(db, device.Id, ct);
        if (credential is null && device.Simulated)
        {
            // The simulator asks for no login; a credential that applies is still used (and its secrets redacted).
            return For(device, new DeviceCredential("simulated"));
        }
        if (credential is null)
        {
            throw new DeviceException(device.Name, "no credential applies to this device: name one on the device or give a credential to one of its pools");
        }
        var login = new DeviceCredential(credential.Username, Reveal(credential.ProtectedPassword))
        {
            PrivateKey = Reveal(credential.ProtectedPrivateKey),
            Passphrase = Reveal(credential.ProtectedPassphrase),
            EnableSecret = Reveal(credential.ProtectedEnableSecret),
        };
        return For(device, login);
    }

    /// <summary>The target of a device with a given login (used as is for simulated devices, which need none). A
    /// simulated target goes to the simulator; any other is refused here when it must not be dialled.</summary>
    /// <exception cref="DeviceConnectionException">The device is not simulated and its host is a documentation address.</exception>
    public static DeviceTarget For(Device device, DeviceCredential login)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new DeviceTarget(device.Name, device.Simulated ? HostOf(device) : NetworkHostOf(device), device.Platform, login)
        {
            Port = device.Port,
            Simulated = device.Simulated,
        };
    }

    private string? Reveal(string? value) => value is null ? null : secrets.Unprotect(value);
}
