using System.Globalization;
using System.Net;
using System.Text;
using eNMS.Drivers.Config;

namespace eNMS.Drivers.Simulation;

/// <summary>
/// The state of one simulated device, shared by every connection to it: its running configuration (changed by
/// config pushes, so backups, diffs, deploys and rollbacks behave as on a real device) and the configurations before
/// its last commits. Thread-safe: connections from parallel runs see one device.
/// </summary>
public sealed class SimulatedDevice
{
    /// <summary>Statements a device holds once: a new value replaces the old one instead of adding a line.</summary>
    private static readonly string[] SingleValued =
        ["hostname", "host-name", "description", "ip address", "router-id", "ospf router-id", "mtu", "version", "frr version"];

    private readonly Lock _lock = new();
    private readonly Stack<IReadOnlyList<ConfigNode>> _history = new();
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _bootedAt;
    private IReadOnlyList<ConfigNode> _running;
    private ITimer? _revert;

    internal SimulatedDevice(string name, string host, SimulatedPlatform platform, TimeProvider time, IReadOnlyList<SimulatedNeighbor>? neighbors = null)
    {
        Neighbors = neighbors ?? [];
        Name = name;
        Platform = platform;
        Number = NumberOf(name, host);
        _time = time;
        // A stable, per-device uptime: between 3 and 200 days before the simulator started.
        _bootedAt = time.GetUtcNow() - TimeSpan.FromHours(72 + Number * 37 % 4700);
        _running = platform.Parse(platform.InitialConfig(this));
        _startup = _running;
    }

    private IReadOnlyList<ConfigNode> _startup;

    /// <summary>The configuration the device would start with (what the last save wrote).</summary>
    public string StartupConfig
    {
        get
        {
            lock (_lock)
            {
                return Platform.Render(_startup);
            }
        }
    }

    /// <summary>Writes the running configuration as the startup one.</summary>
    public void Save()
    {
        lock (_lock)
        {
            _startup = _running;
        }
    }

    public string Name { get; }

    /// <summary>The devices cabled to this one (what its LLDP commands list).</summary>
    public IReadOnlyList<SimulatedNeighbor> Neighbors { get; }

    public SimulatedPlatform Platform { get; }

    /// <summary>A small per-device number (the last octet of its address when it has one) that makes its addresses,
    /// serials and neighbours differ from the other devices'.</summary>
    public int Number { get; }

    /// <summary>How many commits the device has taken since the simulator started.</summary>
    public int Commits { get; private set; }

    public string Uptime
    {
        get
        {
            var up = _time.GetUtcNow() - _bootedAt;
            return $"{up.Days / 7} weeks, {up.Days % 7} days, {up.Hours} hours, {up.Minutes} minutes";
        }
    }

    public string Clock(string format) => _time.GetUtcNow().ToString(format, CultureInfo.InvariantCulture);

    public IReadOnlyList<ConfigNode> Running
    {
        get
        {
            lock (_lock)
            {
                return _running;
            }
        }
    }

    public string RunningConfig => Platform.Render(Running);

    /// <summary>The running configuration with <paramref name="config"/> merged in: configuration text (<c>no X</c>
    /// removes X) or, on Junos, <c>set</c>/<c>delete</c> commands.</summary>
    public IReadOnlyList<ConfigNode> Merged(string config)
    {
        var lines = config.Replace("\r", "", StringComparison.Ordinal).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (!Platform.Braces || !lines.All(l => l.StartsWith("set ", StringComparison.Ordinal) || l.StartsWith("delete ", StringComparison.Ordinal)))
        {
            return Merge(Running, Platform.Parse(config));
        }
        var result = Running;
        foreach (var line in lines)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            result = SetOrDelete(result, words[1..], words[0] == "delete");
        }
        return result;
    }

    /// <summary>Makes <paramref name="config"/> the running configuration, keeping the current one for a rollback.
    /// With <paramref name="revertAfter"/>, the device rolls back by itself unless <see cref="ConfirmCommit"/> comes in time.</summary>
    public bool Commit(IReadOnlyList<ConfigNode> config, TimeSpan? revertAfter = null)
    {
        lock (_lock)
        {
            if (ConfigTree.Diff(_running, config).Length == 0)
            {
                return false;
            }
            _history.Push(_running);
            _running = config;
            Commits++;
            _revert?.Dispose();
            _revert = revertAfter is { } after ? _time.CreateTimer(_ => RevertUnconfirmed(), null, after, Timeout.InfiniteTimeSpan) : null;
            return true;
        }
    }

    /// <summary>Keeps a commit made with a revert timer.</summary>
    /// <exception cref="DeviceCommandException">No commit waits for a confirmation.</exception>
    public void ConfirmCommit()
    {
        lock (_lock)
        {
            var pending = _revert ?? throw new DeviceCommandException(Name, "commit confirm", "error: no commit is waiting for a confirmation");
            pending.Dispose();
            _revert = null;
        }
    }

    private void RevertUnconfirmed()
    {
        lock (_lock)
        {
            if (_revert is null)
            {
                return;
            }
            _revert.Dispose();
            _revert = null;
            if (_history.TryPop(out var previous))
            {
                _running = previous;
            }
        }
    }

    /// <summary>Restores the configuration before the last commit.</summary>
    /// <exception cref="DeviceCommandException">No commit to roll back.</exception>
    public void Rollback()
    {
        lock (_lock)
        {
            _revert?.Dispose();
            _revert = null;
            if (!_history.TryPop(out var previous))
            {
                throw new DeviceCommandException(Name, "rollback", "error: no previous configuration to roll back to");
            }
            _running = previous;
        }
    }

    /// <summary>The interfaces of the running configuration: name, address, whether it is up.</summary>
    public IEnumerable<(string Name, string Address, bool Up)> InterfaceSummary()
    {
        foreach (var node in Running)
        {
            if (node.Line == "interfaces")
            {
                // Junos: interfaces { ge-0/0/0 { unit 0 { family inet { address ...; } } } }
                foreach (var junos in node.Children)
                {
                    yield return (junos.Line, FindAddress(junos) ?? "", !Contains(junos, "disable"));
                }
            }
            else if (node.Line.StartsWith("interface ", StringComparison.Ordinal))
            {
                yield return (node.Line["interface ".Length..], FindAddress(node) ?? "unassigned", !node.Children.Any(c => c.Line == "shutdown"));
            }
        }
    }

    /// <summary>Answers a show/exec command, or throws what the platform prints for a command it does not know.</summary>
    public string Answer(string command)
    {
        var trimmed = string.Join(' ', command.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (trimmed.Length == 0)
        {
            return "";
        }
        var config = Platform.RunningConfigCommand;
        if (config.Length > 0 && (trimmed == config || trimmed == config + " | no-more" || trimmed == "show run"))
        {
            return Platform.ShowRunning(RunningConfig);
        }
        if (trimmed == "show startup-config" && !Platform.Braces && config.Length > 0)
        {
            return Platform.ShowRunning(StartupConfig);
        }
        if (trimmed.StartsWith("show running-config | include ", StringComparison.Ordinal)
            || trimmed.StartsWith("show configuration | match ", StringComparison.Ordinal))
        {
            // "| include X": the filter's keyword, then its pattern (the space after the bar is not a word).
            var pattern = trimmed[(trimmed.IndexOf('|', StringComparison.Ordinal) + 1)..].TrimStart().Split(' ', 2)[1];
            return string.Join('\n', RunningConfig.Split('\n').Where(l => l.Contains(pattern, StringComparison.OrdinalIgnoreCase)));
        }
        return Platform.Show(this, trimmed)
            ?? throw new DeviceCommandException(Name, command, $"{Platform.InvalidInput}\n(simulated device: it answers {string.Join(", ", KnownCommands())})");
    }

    /// <summary>The commands this simulated device answers, for the error that names them.</summary>
    public IEnumerable<string> KnownCommands()
    {
        string[] candidates = ["show version", "show running-config", "show configuration", "show ip interface brief",
            "show interface brief", "show interfaces terse", "show ip route", "show route", "show ip ospf neighbor",
            "show ospf neighbor", "show lldp neighbors", "show cdp neighbors detail", "lldpcli -f json show neighbors", "show ip bgp summary", "show ip bgp summary vrf all", "show bgp summary",
            "show bgp vrf all summary json", "show ip route summary", "show ip route summary vrf all", "show ip route vrf all summary",
            "show route summary", "show ip route summary json", "show clock", "show system uptime", "hostname", "uname -a",
            "uptime", "date"];
        return candidates.Where(c => c == Platform.RunningConfigCommand || Platform.Show(this, c) is not null);
    }

    private static List<ConfigNode> Merge(IReadOnlyList<ConfigNode> running, IReadOnlyList<ConfigNode> candidate)
    {
        var result = running.ToList();
        foreach (var node in candidate)
        {
            if (node.Line.StartsWith("no ", StringComparison.Ordinal) || node.Line.StartsWith("delete ", StringComparison.Ordinal))
            {
                var negated = node.Line[(node.Line.IndexOf(' ', StringComparison.Ordinal) + 1)..];
                result.RemoveAll(n => n.Line == negated || (n.Children.Count == 0 && n.Line.StartsWith(negated + " ", StringComparison.Ordinal)));
                continue;
            }
            int i = result.FindIndex(n => n.Line == node.Line);
            if (i >= 0)
            {
                result[i] = result[i] with { Children = Merge(result[i].Children, node.Children) };
                continue;
            }
            var key = SingleValued.FirstOrDefault(k => node.Line.StartsWith(k + " ", StringComparison.Ordinal));
            int same = key is null || node.Children.Count > 0 ? -1 : result.FindIndex(n => n.Children.Count == 0 && n.Line.StartsWith(key + " ", StringComparison.Ordinal));
            if (same >= 0)
            {
                result[same] = node;
            }
            else
            {
                result.Add(node);
            }
        }
        return result;
    }

    /// <summary>Applies one Junos <c>set</c>/<c>delete</c> path: words that name an existing statement descend into it
    /// (one to three words: "unit 0", "family inet"), the rest is the leaf set or deleted there.</summary>
    private static List<ConfigNode> SetOrDelete(IReadOnlyList<ConfigNode> level, string[] words, bool delete)
    {
        var result = level.ToList();
        for (var take = Math.Min(3, words.Length); take >= 1; take--)
        {
            var head = string.Join(' ', words[..take]);
            var i = result.FindIndex(n => n.Line == head);
            if (i < 0)
            {
                continue;
            }
            if (take == words.Length)
            {
                if (delete)
                {
                    result.RemoveAt(i);
                }
                return result;
            }
            result[i] = result[i] with { Children = SetOrDelete(result[i].Children, words[take..], delete) };
            return result;
        }
        var leaf = string.Join(' ', words);
        return delete
            ? [.. result.Where(n => n.Line != leaf && !n.Line.StartsWith(leaf + " ", StringComparison.Ordinal))]
            : Merge(result, [new ConfigNode(leaf, [])]);
    }

    private static string? FindAddress(ConfigNode node)
    {
        foreach (var child in node.Children)
        {
            if (child.Line.StartsWith("ip address ", StringComparison.Ordinal) || child.Line.StartsWith("address ", StringComparison.Ordinal))
            {
                var words = child.Line.Split(' ');
                return words[child.Line.StartsWith("ip ", StringComparison.Ordinal) ? 2 : 1];
            }
            if (FindAddress(child) is { } nested)
            {
                return nested;
            }
        }
        return null;
    }

    private static bool Contains(ConfigNode node, string line) => node.Children.Any(c => c.Line == line || Contains(c, line));

    private static int NumberOf(string name, string host)
    {
        if (IPAddress.TryParse(host, out var address) && address.GetAddressBytes() is { Length: 4 } bytes && bytes[3] is > 0 and < 250)
        {
            return bytes[3];
        }
        // FNV-1a: string.GetHashCode differs between processes, and a device must look the same after a restart.
        uint hash = 2166136261;
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            hash = (hash ^ b) * 16777619;
        }
        return (int)(hash % 240) + 10;
    }
}
