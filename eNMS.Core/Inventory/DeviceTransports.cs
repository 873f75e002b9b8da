using eNMS.Drivers;

namespace eNMS.Core.Inventory;

/// <summary>The values of <see cref="Device.Transport"/> and what follows from each.</summary>
public static class DeviceTransports
{
    public const string Ssh = "ssh";

    public const string Telnet = "telnet";

    public static IReadOnlyList<string> All { get; } = [Ssh, Telnet];

    /// <summary>The stored form of a transport as a sheet, a form or the API may write it; empty is SSH; null when it is
    /// none.</summary>
    public static string? Canonical(string value) => (value ?? "").Trim().ToLowerInvariant() switch
    {
        "" or "ssh" => Ssh,
        "telnet" => Telnet,
        _ => null,
    };

    /// <summary>The port a device of this transport listens on when nobody said otherwise.</summary>
    public static int DefaultPort(string transport) => Canonical(transport) == Telnet ? 23 : 22;

    /// <summary>The driver's transport for a stored value.</summary>
    public static CliTransport ForDriver(string transport) => Canonical(transport) == Telnet ? CliTransport.Telnet : CliTransport.Ssh;
}
