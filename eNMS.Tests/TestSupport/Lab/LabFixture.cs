using System.Diagnostics;
using eNMS.Drivers;
using eNMS.Drivers.Cli;

namespace eNMS.Tests.TestSupport.Lab;

/// <summary>
/// Brings the device lab up once per test collection (<c>lab/lab.sh up all</c>: emulator sshd, FRR routers, Linux
/// hosts in namespaces) and tears it down after. A missing prerequisite fails the tests with its name, unless
/// ENMS_TEST_SKIP contains "lab" (then <see cref="LabFactAttribute"/> skips them).
/// </summary>
public sealed class LabFixture : IAsyncLifetime
{
    public const string Password = "enms-lab";
    public const string EnableSecret = "enms-enable";
    private const string MachineLockPath = "/tmp/enms-lab-tests.lock";
    private int _nextDevice;
    private FileStream? _machineLock;

    public string RepoRoot { get; } = FindRepoRoot();

    public string LabDir { get; } = "/tmp/enms-lab-tests";

    /// <summary>Why the lab could not start; null when it is up.</summary>
    public string? Unavailable { get; private set; }

    public KnownHosts KnownHosts { get; } = new();

    public DriverFactory Factory => new(DriverRegistry.CreateDefault(), KnownHosts);

    public string PrivateKeyPath => Path.Combine(LabDir, "test_key");

    public async Task InitializeAsync()
    {
        if (LabFactAttribute.Skipped)
        {
            return;
        }
        var missing = new List<string>();
        if (Environment.UserName != "root")
        {
            missing.Add("root (network namespaces)");
        }
        foreach (var (file, package) in new[] { ("/usr/sbin/sshd", "openssh-server"), ("/usr/bin/vtysh", "frr"), ("/usr/lib/frr/zebra", "frr"), ("/usr/bin/python3", "python3"), ("/usr/bin/ssh-keygen", "openssh-client"), ("/usr/sbin/telnetd", "inetutils-telnetd"), ("/usr/sbin/lldpd", "lldpd"), ("/usr/sbin/netconfd", "netconfd") })
        {
            if (!File.Exists(file))
            {
                missing.Add($"{file} (Debian package {package})");
            }
        }
        if (missing.Count > 0)
        {
            Unavailable = "lab prerequisites missing: " + string.Join(", ", missing) + " (or set ENMS_TEST_SKIP=lab)";
            return;
        }
        // Namespace names are machine-wide: a second test run (another worktree) waits for this one's lab to go.
        _machineLock = await AcquireMachineLockAsync();
        if (_machineLock is null)
        {
            Unavailable = $"another test run held {MachineLockPath} for 10 minutes";
            return;
        }
        var (code, output) = await RunAsync(Path.Combine(RepoRoot, "lab", "lab.sh"), "up", "all");
        if (code != 0)
        {
            Unavailable = $"lab/lab.sh up all failed ({code}): {output}";
            return;
        }
        File.Delete(PrivateKeyPath);
        File.Delete(PrivateKeyPath + ".pub");
        await RunAsync("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", PrivateKeyPath);
        await File.AppendAllTextAsync(Path.Combine(LabDir, "authorized_keys"), await File.ReadAllTextAsync(PrivateKeyPath + ".pub"));
    }

    public async Task DisposeAsync()
    {
        if (!LabFactAttribute.Skipped && _machineLock is not null)
        {
            await RunAsync(Path.Combine(RepoRoot, "lab", "lab.sh"), "down");
        }
        _machineLock?.Dispose();
    }

    /// <summary>Fails the calling test with the reason when the lab is not up.</summary>
    public void RequireLab()
    {
        if (Unavailable is not null)
        {
            Assert.Fail(Unavailable);
        }
    }

    /// <summary>A fresh emulated device of a platform (its own address, so its own state).</summary>
    public DeviceTarget Emulated(string platform, Func<DeviceTimeouts, DeviceTimeouts>? timeouts = null)
    {
        int third = platform switch
        {
            "cisco_ios" => 128,
            "cisco_nxos" => 144,
            "arista_eos" => 160,
            "juniper_junos" => 176,
            "hp_procurve" => 197,
            "dell_os10" => 198,
            "ubiquiti_edge" => 199,
            "cisco_xr" => 200,
            "cisco_asa" => 208,
            "vyos" => 216,
            "huawei" => 224,
            "hp_comware" => 232,
            "aruba_aoscx" => 240,
            "fortinet" => 248,
            "paloalto_panos" => 250,
            "mikrotik_routeros" => 252,
            "nokia_sros" => 195,
            "extreme_exos" => 196,
            "denied" => 192,
            _ => throw new ArgumentOutOfRangeException(nameof(platform)),
        };
        // Each platform owns a run of /24s in the emulator's /17 (lab/README.md): wrap inside it, or the devices of one
        // platform would spill into the next one's (and "denied" devices, into a range that lets them log in).
        int width = platform switch
        {
            "denied" or "hp_procurve" or "dell_os10" or "ubiquiti_edge" or "nokia_sros" or "extreme_exos" => 1,
            "fortinet" or "paloalto_panos" or "mikrotik_routeros" => 2,
            "cisco_ios" or "cisco_nxos" or "arista_eos" or "juniper_junos" => 16,
            _ => 8,
        };
        int n = Interlocked.Increment(ref _nextDevice);
        var host = $"10.255.{third + n / 250 % width}.{n % 250 + 1}";
        var defaults = new DeviceTimeouts(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));
        return new DeviceTarget($"{platform}-{n}", host, platform is "denied" ? "cisco_ios" : platform,
            new DeviceCredential("enmslab", Password) { EnableSecret = EnableSecret })
        {
            Timeouts = timeouts?.Invoke(defaults) ?? defaults,
        };
    }

    public static DeviceTarget Router(int i) =>
        new($"r{i}", $"10.255.0.{10 + i}", "frr", new DeviceCredential("enmsfrr", Password));

    /// <summary>A lab router over Telnet (telnetd, /bin/login, then vtysh).</summary>
    public static DeviceTarget RouterOverTelnet(int i) => Router(i) with { Transport = CliTransport.Telnet, Port = 23 };

    /// <summary>Router r0, whose only link is to Linux host h1: reachable through h1 as a jump host only.</summary>
    public static DeviceTarget RouterBehindGateway() => Router(0) with { Host = "10.255.3.10" };

    /// <summary>Linux host h1 as the jump host (gateway) in front of r0.</summary>
    public static JumpHost Gateway(int port = 22) => new("10.255.0.101", new DeviceCredential("enmshost", Password)) { Port = port };

    /// <summary>The lab's netconfd: port 830 has a candidate datastore, port 1830 writes running only.</summary>
    public static DeviceTarget NetconfServer(int port = 830) =>
        new($"nc-{port}", "10.255.0.200", "linux", new DeviceCredential("enmsnc", Password)) { Port = port };

    public static DeviceTarget LinuxHost(int i) =>
        new($"h{i}", $"10.255.0.{100 + i}", "linux", new DeviceCredential("enmshost", Password));

    /// <summary>Puts fault words (slow, drop, hang, banner-delay, junk) on an emulated device.</summary>
    public async Task SetFaultAsync(DeviceTarget target, string faults)
    {
        var dir = Path.Combine(LabDir, "emulator", "state", target.Host);
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "fault"), faults);
        await RunAsync("/bin/chown", "-R", "enmslab", dir);
    }

    /// <summary>What vtysh prints for a command on a lab router (the reference for exact output).</summary>
    public async Task<string> VtyshAsync(int router, string command)
    {
        // In the router's UTS namespace, so vtysh shows the router's hostname.
        var zebra = (await File.ReadAllTextAsync($"{LabDir}/frr/r{router}/run/zebra.pid")).Trim();
        var (_, output) = await RunAsync("/usr/bin/nsenter", "-t", zebra, "-u", "/usr/bin/vtysh", "--vty_socket", $"{LabDir}/frr/r{router}/run", "-c", command);
        return output.TrimEnd('\n');
    }

    /// <summary>Processes in the emulator's namespace besides its sshd and Telnet listeners (open sessions).</summary>
    public async Task<int> EmulatorSessionsAsync()
    {
        var (_, output) = await RunAsync("/usr/sbin/ip", "netns", "pids", "enms-emu");
        var listeners = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pidFile in new[] { "sshd.pid", "telnetd.pid" }.Select(f => Path.Combine(LabDir, "emulator", f)).Where(File.Exists))
        {
            listeners.Add((await File.ReadAllTextAsync(pidFile)).Trim());
        }
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(pid => !listeners.Contains(pid.Trim()));
    }

    /// <summary>Device sessions the emulator serves right now (one emulator process each), from anywhere: a test
    /// service kind inside a run counts what the run still holds open. With <paramref name="hosts"/>, only the SSH
    /// sessions to those device addresses (sshd's SSH_CONNECTION names the address dialled), so that a session an
    /// earlier test left closing does not count.</summary>
    public static async Task<int> EmulatorProcessesAsync(IReadOnlyCollection<string>? hosts = null)
    {
        using var process = Process.Start(new ProcessStartInfo("/usr/sbin/ip", ["netns", "pids", "enms-emu"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var count = 0;
        foreach (var pid in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                // The ForceCommand runs through the user's shell: count the python3 process, not its parent shell.
                var arguments = (await File.ReadAllTextAsync($"/proc/{pid.Trim()}/cmdline")).Split('\0');
                var emulator = arguments[0].EndsWith("python3", StringComparison.Ordinal) && arguments.Any(a => a.Contains("enms_emulator", StringComparison.Ordinal));
                count += emulator && (hosts is null || hosts.Contains(await DialledAddressAsync(pid.Trim()))) ? 1 : 0;
            }
            catch (IOException)
            {
                // The process ended between the listing and the read: not open any more.
            }
        }
        return count;
    }

    /// <summary>The device address an emulator process was dialled at: SSH_CONNECTION is "client port server port".</summary>
    private static async Task<string> DialledAddressAsync(string pid)
    {
        var environment = (await File.ReadAllTextAsync($"/proc/{pid}/environ")).Split('\0');
        var connection = environment.FirstOrDefault(v => v.StartsWith("SSH_CONNECTION=", StringComparison.Ordinal))?["SSH_CONNECTION=".Length..].Split(' ');
        return connection is { Length: 4 } ? connection[2] : "";
    }

    public async Task<(int Code, string Output)> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ENMS_LAB_DIR"] = LabDir;
        start.Environment["ENMS_EMU_MINUTE"] = "2";
        // A reloaded emulated device is back after 4 s (the OS-upgrade workflow waits for it).
        start.Environment["ENMS_EMU_RELOAD"] = "4";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    private static async Task<FileStream?> AcquireMachineLockAsync()
    {
        for (int attempt = 0; attempt < 600; attempt++)
        {
            try
            {
                return new FileStream(MachineLockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
        return null;
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "eNMS.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("eNMS.sln not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class LabGroup : ICollectionFixture<LabFixture>
{
    public const string Name = "lab";
}

/// <summary>A test that needs the lab: skipped when ENMS_TEST_SKIP contains "lab".</summary>
public sealed class LabFactAttribute : FactAttribute
{
    public LabFactAttribute()
    {
        if (Skipped)
        {
            Skip = "ENMS_TEST_SKIP contains 'lab'";
        }
    }

    public static bool Skipped =>
        (Environment.GetEnvironmentVariable("ENMS_TEST_SKIP") ?? "").Split(',', ' ').Contains("lab", StringComparer.OrdinalIgnoreCase);
}

/// <summary>A parameterised test that needs the lab.</summary>
public sealed class LabTheoryAttribute : TheoryAttribute
{
    public LabTheoryAttribute()
    {
        if (LabFactAttribute.Skipped)
        {
            Skip = "ENMS_TEST_SKIP contains 'lab'";
        }
    }
}
