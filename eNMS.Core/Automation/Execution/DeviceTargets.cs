using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Security;
using eNMS.Drivers;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Automation.Execution;

/// <summary>Turns an inventory device into a driver target: address, port, transport, platform and the credential that
/// applies to it (decrypted only here, on its way to the device).</summary>
public sealed class DeviceTargets(IDbContextFactory<EnmsDbContext> dbFactory, SecretProtector secrets)
{
    /// <exception cref="DeviceException">No credential applies to the device.</exception>
    public async Task<DeviceTarget> ForAsync(Device device, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(device);
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

    /// <summary>The target of a device with a given login (used as is for simulated devices, which need none).</summary>
    public static DeviceTarget For(Device device, DeviceCredential login)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new DeviceTarget(device.Name, device.Address.Length > 0 ? device.Address : device.Name, device.Platform, login)
        {
            Port = device.Port,
            Transport = DeviceTransports.ForDriver(device.Transport),
            Simulated = device.Simulated,
        };
    }

    private string? Reveal(string? value) => value is null ? null : secrets.Unprotect(value);
}
