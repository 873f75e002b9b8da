using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Security;
using eNMS.Drivers;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Automation.Execution;

/// <summary>
/// Turns an inventory device into a driver target: address, port, transport, platform, the credential that applies
/// to it (decrypted only here, on its way to the device) and its gateways, each with its own credential. It is also THE place that decides where eNMS dials a device:
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
    public async Task<DeviceTarget> ForAsync(Device device, CredentialRequest request, CancellationToken ct) => (await ResolveAsync(device, request, ct)).Target;

    /// <summary>The device's target and the credential it logs in with: what a run asks before a node that changes
    /// the device (a read-only credential refuses it).</summary>
    /// <exception cref="DeviceException">As <see cref="ForAsync"/>.</exception>
    /// <remarks>request: the credential a service names, whether the node changes the device, and who uses it
    /// (<see cref="CredentialResolver"/>: the one place that decides).</remarks>
    public async Task<ResolvedTarget> ResolveAsync(Device device, CredentialRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(device);
        if (!device.Simulated)
        {
            _ = NetworkHostOf(device);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (credential, refusal) = await CredentialResolver.ChooseAsync(db, device.Id, request, ct);
        if (refusal is not null)
        {
            throw new DeviceException(device.Name, refusal);
        }
        if (credential is null && device.Simulated)
        {
            // The simulator asks for no login; a credential that applies is still used (and its secrets redacted).
            return new ResolvedTarget(For(device, new DeviceCredential("simulated")), null, CredentialAccess.ReadWrite);
        }
        if (credential is null)
        {
            throw new DeviceException(device.Name, "no credential applies to this device: name one on the device or give a credential to one of its pools");
        }
        var target = For(device, Login(credential));
        if (!device.Simulated && await GatewaysAsync(db, device, request.User, ct) is { Count: > 0 } jumps)
        {
            target = target with { Jump = jumps[0], FallbackJumps = jumps[1..] };
        }
        return new ResolvedTarget(target, credential.Name, credential.Access);
    }

    /// <summary>The device's gateways as jump hosts, first tried first.</summary>
    /// <exception cref="DeviceException">A gateway cannot be one (Telnet) or has no credential.</exception>
    private async Task<List<JumpHost>> GatewaysAsync(EnmsDbContext db, Device device, AuditActor? user, CancellationToken ct)
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
            // A gateway logs in with its own credential (never the service's), chosen for the same user.
            var (credential, refusal) = await CredentialResolver.ChooseAsync(db, gateway.Id, new CredentialRequest(User: user), ct);
            if (refusal is not null || credential is null)
            {
                throw new DeviceException(device.Name, refusal is null
                    ? $"no credential applies to its gateway {gateway.Name}: name one on the gateway or give a credential to one of its pools"
                    : $"its gateway {gateway.Name}: {refusal}");
            }
            jumps.Add(new JumpHost(NetworkHostOf(gateway), Login(credential)) { Port = gateway.Port });
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

    /// <summary>The target of a device with a given login (used as is for simulated devices, which need none). A
    /// simulated target goes to the simulator; any other is refused here when it must not be dialled.</summary>
    /// <exception cref="DeviceConnectionException">The device is not simulated and its host is a documentation address.</exception>
    public static DeviceTarget For(Device device, DeviceCredential login)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new DeviceTarget(device.Name, device.Simulated ? HostOf(device) : NetworkHostOf(device), device.Platform, login)
        {
            Port = device.Port,
            Transport = DeviceTransports.ForDriver(device.Transport),
            Simulated = device.Simulated,
        };
    }

    private string? Reveal(string? value) => value is null ? null : secrets.Unprotect(value);
}

/// <summary>A device's target and the credential it logs in with (no name: a simulated device that needs none).</summary>
public sealed record ResolvedTarget(DeviceTarget Target, string? CredentialName, CredentialAccess Access)
{
    /// <summary>The credential's name when it is read-only, else null.</summary>
    public string? ReadOnlyCredential => Access == CredentialAccess.ReadOnly ? CredentialName : null;
}
