using System.Text;
using eNMS.Drivers.Config;

namespace eNMS.Drivers.Simulation;

/// <summary>
/// A connection to a <see cref="SimulatedDevice"/>: the same contract and capabilities as the platform's real driver,
/// answered in process. Candidates are per connection (as a Junos candidate or an EOS session is); commits change the
/// device for every later connection.
/// </summary>
public sealed class SimulatedDriver : IDeviceDriver
{
    private readonly SimulatedDevice _device;
    private readonly DeviceSimulator _simulator;
    private readonly StringBuilder _transcript = new();
    private readonly SecretRedactor _secrets;
    private IReadOnlyList<ConfigNode>? _candidate;
    private bool _closed;

    internal SimulatedDriver(DeviceTarget target, SimulatedDevice device, DeviceSimulator simulator)
    {
        Target = target;
        _device = device;
        _simulator = simulator;
        _secrets = new SecretRedactor(target.Secrets);
        _transcript.Append(Banner(device.Name)).Append(device.Platform.Prompt(device.Name));
    }

    public DeviceTarget Target { get; }

    public DriverCapabilities Capabilities => _device.Platform.Capabilities;

    public bool IsUsable => !_closed;

    public ConfigShape RunningConfigShape => _device.Platform.RunningConfigShape;

    public string Transcript => _transcript.ToString();

    public async Task<string> SendCommandAsync(string command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        await _simulator.PauseAsync(ct);
        string output;
        try
        {
            output = _device.Answer(command);
        }
        catch (DeviceCommandException e)
        {
            Record(command, e.Reply);
            throw;
        }
        Record(command, output);
        return output;
    }

    /// <summary>The simulator's commands never ask anything: the answers are not needed.</summary>
    public Task<string> SendCommandAsync(string command, IReadOnlyList<Cli.CliAnswer> answers, CancellationToken ct) =>
        SendCommandAsync(command, ct);

    public async Task<IReadOnlyList<CommandOutput>> SendCommandsAsync(IEnumerable<string> commands, CancellationToken ct)
    {
        var outputs = new List<CommandOutput>();
        foreach (var command in commands)
        {
            outputs.Add(new CommandOutput(command, await SendCommandAsync(command, ct)));
        }
        return outputs;
    }

    public async Task<string> SendConfigAsync(IEnumerable<string> lines, CancellationToken ct)
    {
        Require(DriverCapabilities.Config);
        var text = string.Join('\n', lines);
        await _simulator.PauseAsync(ct);
        _device.Commit(_device.Merged(text));
        Record("configure terminal", "");
        foreach (var line in text.Split('\n'))
        {
            Record(line, "");
        }
        Record("end", "");
        return "";
    }

    public async Task<string> GetRunningConfigAsync(CancellationToken ct)
    {
        Require(DriverCapabilities.Config);
        return await SendCommandAsync(_device.Platform.RunningConfigCommand, ct);
    }

    public async Task LoadCandidateAsync(string config, ConfigLoadMode mode, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(config);
        Require(mode is ConfigLoadMode.Replace ? DriverCapabilities.ConfigReplace : DriverCapabilities.ConfigMerge);
        await _simulator.PauseAsync(ct);
        _candidate = mode is ConfigLoadMode.Replace ? _device.Platform.Parse(config) : _device.Merged(config);
        Record(mode is ConfigLoadMode.Replace ? "load replace terminal" : "load merge terminal", "");
    }

    public async Task<string> CompareAsync(CancellationToken ct)
    {
        Require(DriverCapabilities.Diff);
        await _simulator.PauseAsync(ct);
        var diff = _candidate is null ? "" : ConfigTree.Diff(_device.Running, _candidate);
        Record("show | compare", diff);
        return diff;
    }

    public async Task CommitAsync(CancellationToken ct, TimeSpan? confirmWithin = null)
    {
        Require(DriverCapabilities.ConfigMerge);
        if (confirmWithin is not null)
        {
            Require(DriverCapabilities.CommitConfirm);
        }
        var candidate = _candidate ?? throw new DeviceCommandException(Target.Name, "commit", "error: no candidate configuration loaded");
        await _simulator.PauseAsync(ct);
        _candidate = null;
        var changed = _device.Commit(candidate, confirmWithin);
        Record(confirmWithin is { } within ? $"commit confirmed {within.TotalSeconds:0}s" : "commit", changed ? "commit complete" : "no changes");
    }

    public async Task ConfirmCommitAsync(CancellationToken ct)
    {
        Require(DriverCapabilities.CommitConfirm);
        await _simulator.PauseAsync(ct);
        _device.ConfirmCommit();
        Record("commit", "commit complete");
    }

    public Task DiscardAsync(CancellationToken ct)
    {
        Require(DriverCapabilities.ConfigMerge);
        _candidate = null;
        Record("rollback 0", "load complete");
        return Task.CompletedTask;
    }

    /// <summary>As the real platform saves (its profile's command and a reply of that platform); nothing where a
    /// commit is persistent.</summary>
    public async Task<string> SaveConfigAsync(CancellationToken ct)
    {
        Require(DriverCapabilities.Config);
        if (Platforms.Profiles.PlatformProfiles.All.FirstOrDefault(p => p.Key == _device.Platform.Key)?.Save is not { } save)
        {
            return Cli.CliDriver.NothingToSave(Target.Platform);
        }
        await _simulator.PauseAsync(ct);
        _device.Save();
        var reply = _device.Platform.Key switch
        {
            "cisco_nxos" => "[########################################] 100%\nCopy complete.",
            "arista_eos" => "Copy completed successfully.",
            "frr" => "Note: this version of vtysh never writes vtysh.conf\nBuilding Configuration...\nIntegrated configuration saved to /etc/frr/frr.conf",
            _ => "Building configuration...\n[OK]",
        };
        Record(save.Command, reply);
        return reply;
    }

    public async Task RollbackAsync(CancellationToken ct)
    {
        Require(DriverCapabilities.Rollback);
        await _simulator.PauseAsync(ct);
        _device.Rollback();
        Record("rollback 1", "load complete");
    }

    /// <summary>Closing does not confirm a pending commit: as on the device, it still reverts when its timer runs out.</summary>
    public ValueTask DisposeAsync()
    {
        _closed = true;
        return ValueTask.CompletedTask;
    }

    private void Require(DriverCapabilities capability)
    {
        if (!Capabilities.HasFlag(capability))
        {
            throw new NotSupportedException($"{Target.Name}: platform '{Target.Platform}' (simulated) does not support {capability}; " +
                $"it supports {Capabilities}");
        }
    }

    private void Record(string command, string reply)
    {
        (command, reply) = (_secrets.Redact(command), _secrets.Redact(reply));
        lock (_transcript)
        {
            _transcript.Append(command).Append('\n');
            if (reply.Length > 0)
            {
                _transcript.Append(reply).Append('\n');
            }
            _transcript.Append(_device.Platform.Prompt(_device.Name));
        }
    }

    internal static string Banner(string name) => $"(simulated device {name}: nothing leaves the eNMS process)\n";
}
