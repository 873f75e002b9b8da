using System.Text;
using System.Threading.Channels;
using eNMS.Drivers.Cli;
using eNMS.Drivers.Config;

namespace eNMS.Drivers.Simulation;

/// <summary>
/// A person's terminal on a <see cref="SimulatedDevice"/> (the web terminal on the demo network): keystrokes are
/// echoed and edited as a device's line editor does, and each line is answered by the same simulator the services
/// use — the same prompts, the same show commands, the same running configuration. Configuration mode collects the
/// lines typed and commits them as one change when it is left (<c>end</c>, Ctrl+Z, or <c>commit</c> on Junos), so
/// a later backup or rollback sees the change as it sees one pushed by a service.
/// </summary>
public sealed class SimulatedTerminalShell : ITerminalShell
{
    private readonly SimulatedDevice _device;
    private readonly DeviceSimulator _simulator;
    private readonly Channel<string> _output = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _input = new(1, 1);
    private readonly StringBuilder _line = new();
    private readonly List<string> _pendingConfig = [];
    private bool _configuring;
    private string? _section;
    private EscapeState _escape;
    private bool _afterCarriageReturn;

    private enum EscapeState { None, Escape, Sequence }

    internal SimulatedTerminalShell(SimulatedDevice device, DeviceSimulator simulator)
    {
        (_device, _simulator) = (device, simulator);
        Send(SimulatedDriver.Banner(device.Name) + "Type ? for the commands this device answers.\n" + Prompt);
    }

    private SimulatedPlatform Platform => _device.Platform;

    /// <summary>Whether the platform has a configuration mode in this simulator (every one but Linux).</summary>
    private bool Configurable => Platform.Capabilities.HasFlag(DriverCapabilities.Config);

    private string Prompt => !_configuring ? Platform.Prompt(_device.Name)
        : Platform.Braces ? $"[edit]\nadmin@{_device.Name}# "
        : $"{_device.Name}(config{SectionMode})#";

    private string SectionMode => _section?.Split(' ')[0] switch
    {
        null => "",
        "interface" => "-if",
        "router" => "-router",
        "line" => "-line",
        var other => "-" + other,
    };

    public async ValueTask WriteAsync(string text, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Keystrokes arrive in any chunking (a paste is one chunk); they are handled one at a time, in order.
        await _input.WaitAsync(ct);
        try
        {
            foreach (var c in text)
            {
                await TypeAsync(c, ct);
            }
        }
        finally
        {
            _input.Release();
        }
    }

    private async Task TypeAsync(char c, CancellationToken ct)
    {
        // Arrow and function keys (ESC [ ... letter or ~) move nothing here: the line editor has no history.
        switch (_escape)
        {
            case EscapeState.Escape:
                _escape = c == '[' || c == 'O' ? EscapeState.Sequence : EscapeState.None;
                return;
            case EscapeState.Sequence:
                _escape = char.IsAsciiLetter(c) || c == '~' ? EscapeState.None : EscapeState.Sequence;
                return;
        }
        var afterCarriageReturn = _afterCarriageReturn;
        _afterCarriageReturn = c == '\r';
        switch (c)
        {
            case '\n' when afterCarriageReturn:
                return;
            case '\r' or '\n':
                Send("\n");
                var line = _line.ToString();
                _line.Clear();
                await ExecuteAsync(line.Trim(), ct);
                return;
            case '\x7f' or '\b':
                if (_line.Length > 0)
                {
                    _line.Length--;
                    Send("\b \b");
                }
                return;
            case '\x03':
                _line.Clear();
                Send("^C\n" + Prompt);
                return;
            case '\x1a' when _configuring && !Platform.Braces:
                _line.Clear();
                Send("^Z\n");
                await ExecuteAsync("end", ct);
                return;
            case '\x1b':
                _escape = EscapeState.Escape;
                return;
            case '?':
                Send("?\n" + Help() + Prompt + _line);
                return;
        }
        if (!char.IsControl(c))
        {
            _line.Append(c);
            Send(c.ToString());
        }
    }

    private async Task ExecuteAsync(string line, CancellationToken ct)
    {
        var command = string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (command.Length == 0)
        {
            Send(Prompt);
            return;
        }
        if (_configuring)
        {
            await ConfigureAsync(command, ct);
            return;
        }
        switch (command)
        {
            case "exit" or "logout" or "quit":
                _output.Writer.TryComplete();
                return;
            case "terminal length 0" or "terminal pager 0" or "enable" or "set cli screen-length 0":
                // What automation sends before it reads: accepted, and nothing pages here anyway.
                Send(Prompt);
                return;
            case "configure terminal" or "conf t" or "configure" when Configurable:
                _configuring = true;
                Send((Platform.Braces ? "Entering configuration mode\n" : "Enter configuration commands, one per line.  End with CNTL/Z.\n") + Prompt);
                return;
        }
        await _simulator.PauseAsync(ct);
        string output;
        try
        {
            output = _device.Answer(command);
        }
        catch (DeviceCommandException e)
        {
            output = e.Reply;
        }
        Send(output.Length == 0 || output.EndsWith('\n') ? output + Prompt : output + "\n" + Prompt);
    }

    private async Task ConfigureAsync(string command, CancellationToken ct)
    {
        if (Platform.Braces)
        {
            await ConfigureJunosAsync(command, ct);
            return;
        }
        switch (command)
        {
            case "end":
                _configuring = false;
                _section = null;
                await CommitPendingAsync(ct);
                Send(Prompt);
                return;
            case "exit" when _section is not null:
                _section = null;
                break;
            case "exit":
                goto case "end";
            default:
                if (command.Split(' ')[0] is "interface" or "router" or "line")
                {
                    _section = command;
                    _pendingConfig.Add(command);
                }
                else
                {
                    _pendingConfig.Add(_section is null ? command : " " + command);
                }
                break;
        }
        Send(Prompt);
    }

    private async Task ConfigureJunosAsync(string command, CancellationToken ct)
    {
        switch (command)
        {
            case "exit" or "quit":
                _configuring = false;
                var discarded = _pendingConfig.Count;
                _pendingConfig.Clear();
                Send((discarded > 0 ? $"Exiting configuration mode: {discarded} uncommitted statement(s) discarded\n" : "Exiting configuration mode\n") + Prompt);
                return;
            case "commit" or "commit and-quit":
                await CommitPendingAsync(ct);
                _configuring = command == "commit";
                Send("commit complete\n" + (command == "commit" ? Prompt : "Exiting configuration mode\n" + Prompt));
                return;
            case "show | compare":
                var diff = _pendingConfig.Count == 0 ? "" : ConfigTree.Diff(_device.Running, _device.Merged(string.Join('\n', _pendingConfig)));
                Send(diff.Length == 0 ? Prompt : diff + "\n" + Prompt);
                return;
            case "rollback" or "rollback 0":
                _pendingConfig.Clear();
                Send("load complete\n" + Prompt);
                return;
        }
        if (!command.StartsWith("set ", StringComparison.Ordinal) && !command.StartsWith("delete ", StringComparison.Ordinal))
        {
            Send($"{Platform.InvalidInput}\n(simulated device: configuration mode takes set, delete, show | compare, commit, rollback, exit)\n{Prompt}");
            return;
        }
        _pendingConfig.Add(command);
        Send(Prompt);
    }

    private async Task CommitPendingAsync(CancellationToken ct)
    {
        if (_pendingConfig.Count == 0)
        {
            return;
        }
        await _simulator.PauseAsync(ct);
        _device.Commit(_device.Merged(string.Join('\n', _pendingConfig)));
        _pendingConfig.Clear();
    }

    private string Help()
    {
        if (_configuring)
        {
            return Platform.Braces
                ? "  set <statement>, delete <statement>, show | compare, commit, rollback, exit\n"
                : "  configuration lines (interface/router/line open a section, exit leaves it), end or Ctrl+Z to apply\n";
        }
        var commands = _device.KnownCommands().ToList();
        if (Configurable)
        {
            commands.Add(Platform.Braces ? "configure" : "configure terminal");
        }
        commands.Add("exit");
        return string.Concat(commands.Select(c => $"  {c}\n"));
    }

    /// <summary>Output as a terminal wants it: every line ends with CR LF.</summary>
    private void Send(string text) =>
        _output.Writer.TryWrite(text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal));

    public async ValueTask<string?> ReadAsync(CancellationToken ct)
    {
        if (!await _output.Reader.WaitToReadAsync(ct))
        {
            return null;
        }
        var chunk = new StringBuilder();
        while (_output.Reader.TryRead(out var part))
        {
            chunk.Append(part);
        }
        return chunk.ToString();
    }

    /// <summary>Nothing here pages or wraps: the browser's terminal wraps long lines itself.</summary>
    public void Resize(int columns, int rows)
    {
    }

    public ValueTask DisposeAsync()
    {
        // The input gate is left undisposed: a keystroke still being answered releases it after this.
        _output.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
