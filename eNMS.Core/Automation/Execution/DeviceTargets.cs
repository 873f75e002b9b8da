using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Security;
using eNMS.Drivers;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Automation.Execution;

/// <summary>Turns an inventory device into a driver target: address, port, transport, platform, the credential that
/// applies to it (decrypted only here, on its way to the device) and its gateways, each with its own credential. Every
/// service and the web terminal dial through this, so they all honour the gateways.</summary>
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
        var target = For(device, Login(credential));
        if (device.Simulated)
        {
            return target;
        }
        var jumps = await GatewaysAsync(db, device, ct);
        return jumps.Count == 0 ? target : target with { Jump = jumps[0], FallbackJumps = jumps[1..] };
    }

    /// <summary>The device's gateways as jump hosts, first tried first.</summary>
    /// <exception cref="DeviceException">A gateway cannot be one (Telnet) or has no credential.</exception>
    private async Task<List<JumpHost>> GatewaysAsync(EnmsDbContext db, Device device, CancellationToken ct)
    {
        var gateways = await db.DeviceGateways.AsNoTracking().IgnoreQueryFilters()
            .Where(g => g.DeviceId == device.Id).OrderBy(g => g.Priority)
            .Select(g => g.Gateway!).ToListAsync(ct);
        var jumps = new List<JumpHost>();
        foreach (var gateway in gateways)
        {
            if (DeviceTransports.ForDriver(gateway.Transport) is not CliTransport.Ssh)
            {
                throw new DeviceException(device.Name, $"gateway {gateway.Name} is reached over {gateway.Transport}: a gateway is an SSH host");
            }
            var credential = await CredentialResolver.ResolveAsync(db, gateway.Id, ct)
                ?? throw new DeviceException(device.Name, $"no credential applies to its gateway {gateway.Name}: name one on the gateway or give a credential to one of its pools");
            jumps.Add(new JumpHost(gateway.Address.Length > 0 ? gateway.Address : gateway.Name, Login(credential)) { Port = gateway.Port });
        }
        return jumps;
    }

    private DeviceCredential Login(Credential credential) =>
        new(credential.Username, Reveal(credential.ProtectedPassword))
        {
            PrivateKey = Reveal(credential.ProtectedPrivateKey),
            Passphrase = Reveal(credential.ProtectedPassphrase),
            EnableSecret = Reveal(credential.ProtectedEnableSecret),
        };

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
