using System.Text;
using eNMS.Drivers;
using eNMS.Drivers.Cli;
using eNMS.Drivers.Simulation;
using Microsoft.Extensions.Time.Testing;

namespace eNMS.Tests.Drivers;

/// <summary>The web terminal's shell on a simulated device: keystrokes as a terminal emulator sends them, answered by
/// the same simulated device the services talk to.</summary>
public sealed class SimulatedTerminalTests
{
    private readonly DeviceSimulator _simulator = new(new FakeTimeProvider()) { CommandDelay = TimeSpan.Zero };

    private static DeviceTarget Target(string name, string platform) =>
        new(name, "192.0.2.10", platform, new DeviceCredential("simulated")) { Simulated = true };

    /// <summary>Types text one key at a time (as xterm.js sends it) and returns the screen output up to the prompt
    /// that follows.</summary>
    private static async Task<string> TypeAsync(ITerminalShell shell, string keys, string prompt)
    {
        foreach (var key in keys)
        {
            await shell.WriteAsync(key.ToString(), CancellationToken.None);
        }
        return await ReadUntilAsync(shell, prompt);
    }

    private static async Task<string> ReadUntilAsync(ITerminalShell shell, string prompt)
    {
        var screen = new StringBuilder();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!screen.ToString().EndsWith(prompt, StringComparison.Ordinal))
        {
            screen.Append(await shell.ReadAsync(bound.Token) ?? throw new IOException($"closed after: {screen}"));
        }
        return screen.ToString();
    }

    [Fact]
    public async Task Show_running_config_typed_key_by_key_shows_the_device_s_configuration_with_its_prompt()
    {
        await using var shell = await _simulator.OpenTerminalAsync(Target("paris-core", "cisco_ios"), CancellationToken.None);
        var greeting = await ReadUntilAsync(shell, "paris-core#");

        var screen = await TypeAsync(shell, "show running-config\r", "paris-core#");

        Assert.Contains("simulated device paris-core", greeting, StringComparison.Ordinal);
        Assert.StartsWith("show running-config\r\n", screen, StringComparison.Ordinal);
        Assert.Contains("hostname paris-core\r\n", screen, StringComparison.Ordinal);
        Assert.Contains("router ospf 1", screen, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", screen.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backspace_edits_the_line_and_an_unknown_command_gets_the_platform_s_error()
    {
        await using var shell = await _simulator.OpenTerminalAsync(Target("paris-core", "cisco_ios"), CancellationToken.None);
        await ReadUntilAsync(shell, "paris-core#");

        var edited = await TypeAsync(shell, "show verx\x7fsion\r", "paris-core#");
        var unknown = await TypeAsync(shell, "show nonsense\r", "paris-core#");
        var arrows = await TypeAsync(shell, "\x1b[A\x1b[Dshow clock\r", "paris-core#");
        var filtered = await TypeAsync(shell, "show running-config | include ntp server\r", "paris-core#");

        Assert.Contains("\b \b", edited, StringComparison.Ordinal);
        Assert.Contains("Cisco IOS", edited, StringComparison.Ordinal);
        Assert.Contains("% Invalid input detected", unknown, StringComparison.Ordinal);
        Assert.DoesNotContain("Invalid", arrows, StringComparison.Ordinal);
        Assert.Equal("show running-config | include ntp server\r\nntp server 10.0.0.123\r\nparis-core#", filtered);
    }

    [Fact]
    public async Task A_configuration_typed_in_the_terminal_is_what_a_service_reads_afterwards()
    {
        var target = Target("madrid-core", "cisco_ios");
        await using var shell = await _simulator.OpenTerminalAsync(target, CancellationToken.None);
        await ReadUntilAsync(shell, "madrid-core#");

        Assert.EndsWith("madrid-core(config)#", await TypeAsync(shell, "configure terminal\r", "#"), StringComparison.Ordinal);
        Assert.EndsWith("madrid-core(config-if)#", await TypeAsync(shell, "interface GigabitEthernet0/1\r", "#"), StringComparison.Ordinal);
        await TypeAsync(shell, "description to-lisbon\r", "madrid-core(config-if)#");
        await TypeAsync(shell, "exit\r", "madrid-core(config)#");
        await TypeAsync(shell, "snmp-server location Madrid\r", "madrid-core(config)#");
        await TypeAsync(shell, "\x1a", "madrid-core#");

        await using var driver = await _simulator.ConnectAsync(target, CancellationToken.None);
        var running = await driver.GetRunningConfigAsync(CancellationToken.None);
        Assert.Contains("interface GigabitEthernet0/1\n description to-lisbon\n", running, StringComparison.Ordinal);
        Assert.Contains("snmp-server location Madrid", running, StringComparison.Ordinal);
        await driver.RollbackAsync(CancellationToken.None);
        Assert.DoesNotContain("snmp-server location", await driver.GetRunningConfigAsync(CancellationToken.None), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Junos_takes_set_commands_and_commits_them_and_exit_discards_what_is_not_committed()
    {
        var target = Target("berlin-core", "juniper_junos");
        await using var shell = await _simulator.OpenTerminalAsync(target, CancellationToken.None);
        await ReadUntilAsync(shell, "admin@berlin-core> ");

        Assert.Contains("[edit]", await TypeAsync(shell, "configure\r", "admin@berlin-core# "), StringComparison.Ordinal);
        await TypeAsync(shell, "set system location building-a\r", "admin@berlin-core# ");
        Assert.Contains("+", await TypeAsync(shell, "show | compare\r", "admin@berlin-core# "), StringComparison.Ordinal);
        Assert.Contains("commit complete", await TypeAsync(shell, "commit\r", "admin@berlin-core# "), StringComparison.Ordinal);
        await TypeAsync(shell, "set system location building-b\r", "admin@berlin-core# ");
        Assert.Contains("1 uncommitted statement(s) discarded", await TypeAsync(shell, "exit\r", "admin@berlin-core> "), StringComparison.Ordinal);

        var configuration = await TypeAsync(shell, "show configuration\r", "admin@berlin-core> ");
        Assert.Contains("location building-a;", configuration, StringComparison.Ordinal);
        Assert.DoesNotContain("building-b", configuration, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Question_mark_lists_the_commands_and_exit_closes_the_session()
    {
        await using var shell = await _simulator.OpenTerminalAsync(Target("rome-core", "frr"), CancellationToken.None);
        await ReadUntilAsync(shell, "rome-core#");

        var help = await TypeAsync(shell, "?", "rome-core#");
        foreach (var key in "exit\r")
        {
            await shell.WriteAsync(key.ToString(), CancellationToken.None);
        }
        string? rest = "";
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (rest is not null)
        {
            rest = await shell.ReadAsync(bound.Token);
        }

        Assert.Contains("show running-config", help, StringComparison.Ordinal);
        Assert.Contains("configure terminal", help, StringComparison.Ordinal);
    }
}
