namespace eNMS.Core.Inventory;

public sealed class Device
{
    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary>IP address or host name the drivers dial.</summary>
    public string Address { get; set; } = "";
    /// <summary>The TCP port of <see cref="Transport"/> (22 for SSH, 23 for Telnet unless said otherwise).</summary>
    public int Port { get; set; } = 22;
    /// <summary>How the CLI is reached: <c>ssh</c> or <c>telnet</c> (see <see cref="DeviceTransports"/>).</summary>
    public string Transport { get; set; } = DeviceTransports.Ssh;
    /// <summary>Netmiko platform key (`cisco_ios`, `frr`, …) so eNMS inventories import unchanged.</summary>
    public string Platform { get; set; } = "";
    public string Vendor { get; set; } = "";
    public string Model { get; set; } = "";
    public string OperatingSystem { get; set; } = "";
    public string OsVersion { get; set; } = "";
    public string Location { get; set; } = "";
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    /// <summary>A built-in icon (<see cref="DeviceIcons"/>) or "" to show the one its platform suggests.</summary>
    public string Icon { get; set; } = "";
    public string Description { get; set; } = "";
    public List<CustomProperty> CustomProperties { get; set; } = [];

    /// <summary>Answered by the in-process simulator instead of the network (the demo devices): never dialled.</summary>
    public bool Simulated { get; set; }

    /// <summary>A credential named explicitly for this device; otherwise pools and priorities decide.</summary>
    public int? CredentialId { get; set; }
    public Credential? Credential { get; set; }

    public List<Pool> Pools { get; set; } = [];

    /// <summary>The SSH hosts this device is reached through, by <see cref="DeviceGateway.Priority"/>; none: dialled directly.</summary>
    public List<DeviceGateway> Gateways { get; set; } = [];
}
