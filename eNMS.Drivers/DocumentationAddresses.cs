using System.Net;

namespace eNMS.Drivers;

/// <summary>
/// The documentation ranges of RFC 5737 (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) and RFC 3849 (2001:db8::/32).
/// eNMS never sends a packet to them: the demo network lives there and answers through the simulator, and a real
/// device given such an address by mistake must fail with a clear reason instead of leaking traffic to the Internet.
/// </summary>
public static class DocumentationAddresses
{
    private static readonly (IPAddress Network, int Bits)[] Ranges =
    [
        (IPAddress.Parse("192.0.2.0"), 24),
        (IPAddress.Parse("198.51.100.0"), 24),
        (IPAddress.Parse("203.0.113.0"), 24),
        (IPAddress.Parse("2001:db8::"), 32),
    ];

    /// <summary>True when <paramref name="host"/> is an address literal inside a documentation range.</summary>
    public static bool Contains(string host)
    {
        if (!IPAddress.TryParse(host.Trim('[', ']'), out var address))
        {
            return false;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        return Ranges.Any(r => new IPNetwork(r.Network, r.Bits).Contains(address));
    }

    /// <summary>Why <paramref name="host"/> is never dialled, or null when it is not a documentation address.</summary>
    public static string? Refusal(string host) => Contains(host)
        ? $"{host} is a documentation address (RFC 5737/3849) and is never dialled: mark the device as simulated or give it its real address"
        : null;

    /// <summary>Throws a <see cref="DeviceConnectionException"/> naming the device when its address must not be dialled.
    /// eNMS decides where to dial in one place (eNMS.Core's <c>DeviceTargets</c>), which refuses these addresses
    /// before any connection is attempted; the SSH transport calls this again as the last guard before a socket opens,
    /// for callers of this library that build targets themselves.</summary>
    public static void ThrowIfContains(string device, string host)
    {
        if (Refusal(host) is { } refusal)
        {
            throw new DeviceConnectionException(device, refusal);
        }
    }
}
