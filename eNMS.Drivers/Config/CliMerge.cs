namespace eNMS.Drivers.Config;

/// <summary>
/// What an IOS-style CLI (NX-OS) makes of configuration lines typed into its running configuration, for a diff that
/// reads like one between the two configurations: <c>no X</c> removes X (a section with its children), a
/// single-valued setting (<c>hostname</c>, <c>description</c>, a primary <c>ip address</c>…) replaces the one in
/// place, anything else is added.
/// </summary>
public static class CliMerge
{
    private static readonly string[] SingleValued =
        ["hostname", "sysname", "description", "ip address", "ipv6 address", "mtu", "speed", "duplex", "bandwidth", "vrf member",
         "switchport mode", "switchport access vlan", "router-id", "ip router ospf", "nameif", "security-level"];

    public static IReadOnlyList<ConfigNode> Apply(IReadOnlyList<ConfigNode> running, IReadOnlyList<ConfigNode> typed)
    {
        var result = running.ToList();
        foreach (var node in typed)
        {
            if (node.Line.StartsWith("no ", StringComparison.Ordinal))
            {
                var removed = node.Line[3..].Trim();
                result.RemoveAll(n => n.Line == removed || n.Line.StartsWith(removed + " ", StringComparison.Ordinal));
                continue;
            }
            int same = result.FindIndex(n => n.Line == node.Line);
            if (same >= 0)
            {
                result[same] = result[same] with { Children = Apply(result[same].Children, node.Children) };
                continue;
            }
            var added = node with { Children = Apply([], node.Children) };
            var key = KeyOf(node.Line);
            int replaced = key is null ? -1 : result.FindIndex(n => KeyOf(n.Line) == key);
            if (replaced >= 0)
            {
                result[replaced] = added;
            }
            else
            {
                result.Add(added);
            }
        }
        return result;
    }

    /// <summary>The setting a single-valued line sets (<c>description</c>), or null when lines of its kind add up.</summary>
    internal static string? KeyOf(string line) =>
        IsSecondary(line)
            ? null
            : SingleValued.FirstOrDefault(k => line.StartsWith(k + " ", StringComparison.Ordinal));

    /// <summary>A secondary address (<c>ip address … secondary</c>; VRP's and Comware's <c>ip address … sub</c>): one
    /// of several, not the interface's single value.</summary>
    internal static bool IsSecondary(string line) =>
        line.EndsWith(" secondary", StringComparison.Ordinal) ||
        (line.StartsWith("ip address ", StringComparison.Ordinal) && line.EndsWith(" sub", StringComparison.Ordinal));
}
