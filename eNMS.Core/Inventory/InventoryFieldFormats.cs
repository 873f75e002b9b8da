using System.Drawing;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using eNMS.Drivers;

namespace eNMS.Core.Inventory;

/// <summary>The formats of <see cref="InventoryFields"/> that are more than a length: address, platform, colour.</summary>
public static partial class InventoryFields
{
    /// <summary>The platform profiles, by every name inventories give them (Netmiko keys, aliases, NAPALM drivers).</summary>
    public static DriverRegistry PlatformNames { get; } = DriverRegistry.CreateDefault();

    /// <summary>Every platform key a device may have: the driver registry's keys, sorted.</summary>
    public static IReadOnlyList<string> Platforms { get; } = PlatformNames.Platforms.Order(StringComparer.Ordinal).ToList();

    /// <summary>The canonical platform key for a key, an alias (Netmiko's <c>cisco_xe</c>) or the <c>_telnet</c>
    /// variant of either (the transport is the device's own field), or null when no driver has it.</summary>
    public static string? CanonicalPlatform(string value) => PlatformNames.Find(value)?.Key;

    private static FieldValue ParsePlatform(string value)
    {
        if (value.Length == 0)
        {
            return FieldValue.Ok("");
        }
        return CanonicalPlatform(value) is { } platform
            ? FieldValue.Ok(platform)
            : FieldValue.Refused($"'{value}' is not a platform eNMS has a driver for ({string.Join(", ", Platforms)}, or an alias: {string.Join(", ", PlatformNames.Aliases.Select(a => a.Key).Order(StringComparer.Ordinal))}, with or without {DriverRegistry.SshSuffix} or {DriverRegistry.TelnetSuffix})");
    }

    /// <summary>An IPv4 address in four dotted numbers, an IPv6 address, or a DNS host name. A bare number ("1", what a
    /// numeric spreadsheet cell gives) or "999.1.1.1" is neither: DNS names never end in an all-numeric label (RFC 3696).</summary>
    private static FieldValue ParseTransport(string value) => DeviceTransports.Canonical(value) is { } transport
        ? FieldValue.Ok(transport)
        : FieldValue.Refused($"'{value}' is not a transport (ssh or telnet)");

    private static FieldValue ParseAddress(string value)
    {
        if (value.Length == 0)
        {
            return FieldValue.Ok("");
        }
        if (value.Contains(':', StringComparison.Ordinal))
        {
            return IPAddress.TryParse(value, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6
                ? FieldValue.Ok(value)
                : FieldValue.Refused($"'{value}' is not an IPv6 address");
        }
        var labels = value.TrimEnd('.').Split('.');
        if (labels.All(l => l.Length > 0 && l.All(char.IsAsciiDigit)))
        {
            return labels.Length == 4 && labels.All(l => l.Length <= 3 && int.Parse(l, CultureInfo.InvariantCulture) <= 255)
                ? FieldValue.Ok(value)
                : FieldValue.Refused($"'{value}' is not an IPv4 address (four numbers from 0 to 255) or a host name");
        }
        return value.Length <= 253 && labels.All(l => HostLabel().IsMatch(l)) && !labels[^1].All(char.IsAsciiDigit)
            ? FieldValue.Ok(value)
            : FieldValue.Refused($"'{value}' is not an IP address or a host name (letters, digits, '-' and '.')");
    }

    /// <summary>A CSS colour as a link carries it: #rrggbb as given; #rgb and a CSS colour name ("teal") stored as
    /// #rrggbb, so every view and export reads one form.</summary>
    private static FieldValue ParseColour(string value)
    {
        if (value.Length == 0)
        {
            return FieldValue.Ok("#000000");
        }
        if (Colour().IsMatch(value))
        {
            return FieldValue.Ok(value);
        }
        if (ShortColour().IsMatch(value))
        {
            return FieldValue.Ok(string.Concat("#", string.Concat(value[1..].Select(c => $"{c}{c}"))).ToLowerInvariant());
        }
        // .NET's known colours are CSS's named colours plus Windows system colours, which CSS does not have.
        var named = value.All(char.IsAsciiLetter) ? Color.FromName(value) : Color.Empty;
        return named.IsKnownColor && !named.IsSystemColor && named.A == 255
            ? FieldValue.Ok($"#{named.R:x2}{named.G:x2}{named.B:x2}")
            : FieldValue.Refused($"'{value}' is not a colour (#rrggbb, #rgb or a CSS colour name, e.g. #d4222a or teal)");
    }

    [GeneratedRegex("^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$")]
    private static partial Regex HostLabel();

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$")]
    private static partial Regex Colour();

    [GeneratedRegex("^#[0-9A-Fa-f]{3}$")]
    private static partial Regex ShortColour();
}
