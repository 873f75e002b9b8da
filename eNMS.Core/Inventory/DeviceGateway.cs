namespace eNMS.Core.Inventory;

/// <summary>A device reached through another (eNMS "gateways"): an SSH host the connection is tunnelled through.
/// With several, the lowest <see cref="Priority"/> is tried first and the next ones when it cannot be reached.</summary>
public sealed class DeviceGateway
{
    public int DeviceId { get; set; }
    public Device? Device { get; set; }

    /// <summary>The gateway: an inventory device reached over SSH with its own credential and host key.</summary>
    public int GatewayId { get; set; }
    public Device? Gateway { get; set; }

    /// <summary>0 first, then 1…: the order the gateways are tried in.</summary>
    public int Priority { get; set; }
}
