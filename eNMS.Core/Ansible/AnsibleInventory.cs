using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Inventory;

namespace eNMS.Core.Ansible;

/// <summary>How Ansible reaches a platform: its connection plugin and, for network devices, its network OS.</summary>
public sealed record AnsibleConnection(string Connection, string? NetworkOs = null, bool Enable = false);

/// <summary>
/// The inventory Ansible gets for a run (YAML inventory plugin, written as JSON which is YAML): each device with its
/// address, port and connection settings from its platform, its custom properties and inventory fields as host
/// variables, and one group per pool and per platform. Credentials are never in it (see <see cref="AnsibleRunner"/>).
/// </summary>
public static partial class AnsibleInventory
{
    /// <summary>Netmiko platform key → Ansible connection. Linux hosts use paramiko, which does password logins
    /// without sshpass and reads the run's own known_hosts.</summary>
    public static IReadOnlyDictionary<string, AnsibleConnection> Connections { get; } = new Dictionary<string, AnsibleConnection>(StringComparer.OrdinalIgnoreCase)
    {
        ["linux"] = new("paramiko"),
        ["frr"] = new("ansible.netcommon.network_cli", "frr.frr.frr"),
        ["cisco_ios"] = new("ansible.netcommon.network_cli", "cisco.ios.ios", Enable: true),
        ["cisco_xe"] = new("ansible.netcommon.network_cli", "cisco.ios.ios", Enable: true),
        ["cisco_nxos"] = new("ansible.netcommon.network_cli", "cisco.nxos.nxos"),
        ["cisco_xr"] = new("ansible.netcommon.network_cli", "cisco.iosxr.iosxr"),
        ["arista_eos"] = new("ansible.netcommon.network_cli", "arista.eos.eos", Enable: true),
        ["juniper_junos"] = new("ansible.netcommon.network_cli", "junipernetworks.junos.junos"),
        ["vyos"] = new("ansible.netcommon.network_cli", "vyos.vyos.vyos"),
    };

    public static AnsibleConnection ConnectionFor(string platform) =>
        Connections.TryGetValue(platform, out var connection) ? connection : new AnsibleConnection("paramiko");

    /// <summary>Why Ansible cannot reach this device the way eNMS does, or null. Its network_cli and paramiko
    /// connections speak SSH only, so a Telnet device is refused rather than dialled over SSH on port 23. A gateway is
    /// refused too: ProxyCommand/ProxyJump through <c>ansible_ssh_common_args</c> would run an ssh client that can
    /// neither log in with the gateway's password nor check its host key against eNMS's, and a tunnel that skips
    /// either is not what eNMS promises for gateways.</summary>
    public static string? Refusal(Device device, bool hasGateway)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (DeviceTransports.Canonical(device.Transport) == DeviceTransports.Telnet)
        {
            return "Ansible reaches devices over SSH only (network_cli, paramiko) and this device is reached over Telnet: run its commands with cli_commands instead";
        }
        return hasGateway
            ? "this device is reached through a gateway, which eNMS does not hand to Ansible (its ssh client could not log in to the gateway or check its host key): run it with eNMS's own services instead"
            : null;
    }

    /// <summary>The inventory for these devices; <paramref name="poolsOf"/> gives each device's pool names.</summary>
    /// <exception cref="eNMS.Drivers.DeviceConnectionException">A device must not be dialled (simulated, or at a
    /// documentation address: see <see cref="DeviceTargets.NetworkRefusal"/>), or Ansible cannot reach it as eNMS
    /// does (see <see cref="Refusal"/>; <see cref="Device.Gateways"/> must be loaded).</exception>
    public static string Build(IEnumerable<Device> devices, Func<Device, IEnumerable<string>> poolsOf)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(poolsOf);
        var hosts = new JsonObject();
        var groups = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var device in devices)
        {
            if (Refusal(device, device.Gateways.Count > 0) is { } refusal)
            {
                throw new Drivers.DeviceConnectionException(device.Name, refusal);
            }
            hosts[device.Name] = HostVars(device);
            var memberOf = poolsOf(device).Select(p => GroupName("pool_", p)).Append(GroupName("platform_", device.Platform.Length > 0 ? device.Platform : "unknown"));
            foreach (var group in memberOf.Distinct(StringComparer.Ordinal))
            {
                if (!groups.TryGetValue(group, out var members))
                {
                    groups[group] = members = new JsonObject { ["hosts"] = new JsonObject() };
                }
                members["hosts"]!.AsObject()[device.Name] = new JsonObject();
            }
        }
        var children = new JsonObject();
        foreach (var (name, members) in groups)
        {
            children[name] = members;
        }
        var all = new JsonObject { ["hosts"] = hosts, ["children"] = children };
        return new JsonObject { ["all"] = all }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonObject HostVars(Device device)
    {
        var vars = new JsonObject();
        foreach (var field in InventoryFields.Device.All)
        {
            vars["enms_" + field.Name] = field.Get(device);
        }
        vars["enms_id"] = device.Id;
        foreach (var property in device.CustomProperties)
        {
            vars[VariableName(property.Name)] = property.Kind switch
            {
                PropertyKind.Number when double.TryParse(property.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) => n,
                PropertyKind.Boolean => property.Value == "true",
                _ => property.Value,
            };
        }
        var connection = ConnectionFor(device.Platform);
        // Ansible dials the device itself, so it gets the same answer (or refusal) as every other way eNMS reaches one.
        vars["ansible_host"] = DeviceTargets.NetworkHostOf(device);
        vars["ansible_port"] = device.Port;
        vars["ansible_connection"] = connection.Connection;
        if (connection.NetworkOs is { } os)
        {
            vars["ansible_network_os"] = os;
        }
        else if (!vars.ContainsKey("ansible_python_interpreter"))
        {
            // Debian's python3; without it Ansible warns about interpreter discovery on every host.
            vars["ansible_python_interpreter"] = "/usr/bin/python3";
        }
        if (connection.Enable)
        {
            (vars["ansible_become"], vars["ansible_become_method"]) = (true, "enable");
        }
        return vars;
    }

    /// <summary>Ansible group and variable names are identifiers: anything else becomes '_'.</summary>
    public static string VariableName(string name)
    {
        var cleaned = NonIdentifier().Replace(name.Trim(), "_");
        return cleaned.Length == 0 || char.IsDigit(cleaned[0]) ? "_" + cleaned : cleaned;
    }

    private static string GroupName(string prefix, string name) => prefix + VariableName(name).ToLowerInvariant();

    [GeneratedRegex("[^A-Za-z0-9_]")]
    private static partial Regex NonIdentifier();
}
