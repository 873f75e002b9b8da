using System.Net;
using System.Net.NetworkInformation;

namespace eNMS.Core.Automation.Handlers;

/// <summary>
/// The IANA special-purpose address registries (IPv4 and IPv6), as what an outbound call may not reach: every range
/// there is either not globally reachable or not meant to be dialled (documentation, benchmarking, multicast…).
/// Addresses embedded in IPv6 transition forms (IPv4-mapped, IPv4-compatible, NAT64, 6to4, Teredo) are judged by the
/// IPv4 address they carry, so <c>2002:7f00:1::</c> is loopback. The host's own interface addresses are refused too:
/// on a test machine 192.0.2.0/24 was the host's network, and a public address may be the host's as well.
/// </summary>
internal static class SpecialAddresses
{
    private static readonly (IPNetwork Network, string Kind)[] Ranges =
    [
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"), (IPNetwork.Parse("0.0.0.0/8"), "\"this network\""),
        (IPNetwork.Parse("10.0.0.0/8"), "private"), (IPNetwork.Parse("172.16.0.0/12"), "private"), (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("100.64.0.0/10"), "shared address space"), (IPNetwork.Parse("169.254.0.0/16"), "link-local"),
        (IPNetwork.Parse("192.0.0.0/24"), "IETF protocol assignment"), (IPNetwork.Parse("192.0.2.0/24"), "documentation"),
        (IPNetwork.Parse("192.31.196.0/24"), "AS112"), (IPNetwork.Parse("192.52.193.0/24"), "AMT"),
        (IPNetwork.Parse("192.88.99.0/24"), "6to4 relay anycast"), (IPNetwork.Parse("192.175.48.0/24"), "AS112"),
        (IPNetwork.Parse("198.18.0.0/15"), "benchmarking"), (IPNetwork.Parse("198.51.100.0/24"), "documentation"),
        (IPNetwork.Parse("203.0.113.0/24"), "documentation"), (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("255.255.255.255/32"), "broadcast"), (IPNetwork.Parse("240.0.0.0/4"), "reserved"),
        (IPNetwork.Parse("::1/128"), "loopback"), (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("64:ff9b:1::/48"), "local-use NAT64"), (IPNetwork.Parse("100::/64"), "discard-only"),
        (IPNetwork.Parse("2001:db8::/32"), "documentation"), (IPNetwork.Parse("3fff::/20"), "documentation"),
        (IPNetwork.Parse("2001:2::/48"), "benchmarking"), (IPNetwork.Parse("2001:10::/28"), "ORCHID"), (IPNetwork.Parse("2001:20::/28"), "ORCHID"),
        (IPNetwork.Parse("5f00::/16"), "SRv6 SID"), (IPNetwork.Parse("fc00::/7"), "private"), (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fec0::/10"), "site-local"), (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork Teredo = IPNetwork.Parse("2001::/32");
    private static readonly IPNetwork IetfV6 = IPNetwork.Parse("2001::/23");
    private static readonly IPNetwork Compatible = IPNetwork.Parse("::/96");

    /// <summary>Why the address is special (its registry name), or null for an ordinary global address.</summary>
    public static string? Kind(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return "unspecified";
        }
        foreach (var (network, kind) in Ranges)
        {
            if (network.Contains(address))
            {
                return kind;
            }
        }
        foreach (var embedded in Embedded(address))
        {
            if (Kind(embedded) is { } kind)
            {
                return $"{kind} (embedded {embedded})";
            }
        }
        // Teredo's own special prefix lies inside 2001::/23; the rest of that block is IETF protocol assignments.
        return !Teredo.Contains(address) && IetfV6.Contains(address) ? "IETF protocol assignment"
            : Compatible.Contains(address) ? "IPv4-compatible (deprecated)"
            : null;
    }

    /// <summary>The IPv4 addresses an IPv6 transition address carries.</summary>
    private static IEnumerable<IPAddress> Embedded(IPAddress address)
    {
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            yield break;
        }
        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address) || Compatible.Contains(address))
        {
            yield return new IPAddress(bytes[12..16]);
        }
        else if (SixToFour.Contains(address))
        {
            yield return new IPAddress(bytes[2..6]);
        }
        else if (Teredo.Contains(address))
        {
            yield return new IPAddress(bytes[4..8]); // the Teredo server
            yield return new IPAddress(bytes[12..16].Select(b => (byte)~b).ToArray()); // the client, obfuscated
        }
    }

    /// <summary>Whether the address is one of this host's interface addresses.</summary>
    public static bool IsOwn(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(i => i.GetIPProperties().UnicastAddresses)
                .Any(u => u.Address.Equals(address) || new IPAddress(u.Address.GetAddressBytes()).Equals(new IPAddress(address.GetAddressBytes())));
        }
        catch (NetworkInformationException)
        {
            return false;
        }
    }
}
