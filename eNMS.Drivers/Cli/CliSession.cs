using System.Text;
using System.Text.RegularExpressions;

namespace eNMS.Drivers.Cli;

/// <summary>
/// A prompt-driven CLI conversation over an <see cref="IShell"/>: finds the prompt at login, sends a command and reads
/// until the prompt comes back (never sleeping for a fixed time), answers pagers, strips the echo, the prompt and ANSI
/// escapes, turns error replies into <see cref="DeviceCommandException"/>, enforces read and command timeouts, bounds
/// output and keeps a transcript with every secret it knows redacted. One command at a time.
/// </summary>
public sealed partial class CliSession : IAsyncDisposable
{
    private const int MaxTranscriptChars = 1024 * 1024;
    private IShell _shell;
    private readonly TimeProvider _time;
    private readonly TerminalScreen _screen;
    private readonly StringBuilder _transcript = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SecretRedactor _secrets;
    private CliProfile _profile = CliProfile.Default;
    private Regex _prompt;
    private string? _broken;
    private bool _shellClosed;
    private string _sending = "";

    public CliSession(IShell shell, DeviceTarget target, TimeProvider? time = null)
    {
        _shell = shell;
        Target = target;
        _time = time ?? TimeProvider.System;
        _screen = new TerminalScreen(target.MaxOutputChars);
        _secrets = new SecretRedactor(target.Secrets);
        _prompt = CliText.AnyPrompt(_profile);
    }

    public DeviceTarget Target { get; }

    /// <summary>Opens a new shell to the same device (set by <see cref="DriverFactory"/>): what lets a driver undo a
    /// half-applied change after the connection died.</summary>
    public Func<CancellationToken, Task<IShell>>? Reopen { get; init; }

    public CliProfile Profile => _profile;

    /// <summary>The prompt found at login (e.g. <c>r1#</c>).</summary>
    public string BasePrompt { get; private set; } = "";

    /// <summary>The hostname part of the prompt, which every later prompt starts with.</summary>
    public string Hostname { get; private set; } = "";

    /// <summary>The last prompt seen (e.g. <c>r1(config-router)#</c>).</summary>
    public string CurrentPrompt { get; private set; } = "";

    /// <summary>Shown in place of output beyond the target's limit; <c>{0}</c> is the number of characters cut.</summary>
    public string TruncationMarker { get; init; } = "[eNMS: output truncated, {0} more characters not kept]";

    public string Transcript
    {
        get
        {
            lock (_transcript)
            {
                return Redact(_transcript.ToString());
            }
        }
    }

    /// <summary>The line above the prompt on a platform with <see cref="CliProfile.PromptContext"/> (its mode and
    /// where in the tree the session is), else empty.</summary>
    public string CurrentContext { get; private set; } = "";

    public bool InConfigMode => _profile.ConfigPrompt.IsMatch(_profile.PromptContext is null ? CurrentPrompt : CurrentContext);

    /// <summary>False once a timeout, a cancellation mid-command or a dropped connection left the CLI in an unknown state.</summary>
    public bool IsUsable => _broken is null;

    /// <summary>Waits for the first prompt, confirms it with an empty line (the prompt is what comes back twice), then
    /// learns the hostname from it.</summary>
    public async Task LoginAsync(CliProfile profile, CancellationToken ct)
    {
        _profile = profile;
        _prompt = CliText.AnyPrompt(profile);
        await _gate.WaitAsync(ct);
        try
        {
            await ReadUntilAsync("the first prompt", null, profile.LoginAnswers, Target.Timeouts.Connect, ct);
            string previous = CurrentPrompt;
            _screen.Reset();
            _sending = "";
            await WriteAsync("\n", false, ct);
            await ReadUntilAsync("the prompt", null, [], Target.Timeouts.Connect, ct);
            // A banner line can look like a prompt. Then what came back was the real first prompt, and the reply to
            // the empty line is still on its way: read it (sending nothing) so that no prompt is left unread.
            for (int attempt = 0; attempt < 3 && CurrentPrompt != previous; attempt++)
            {
                previous = CurrentPrompt;
                _screen.Reset();
                await ReadUntilAsync("the prompt", null, [], Target.Timeouts.Connect, ct);
            }
            BasePrompt = CurrentPrompt;
            LearnHostname(BasePrompt);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void LearnHostname(string prompt)
    {
        if (_profile.PromptHost?.Match(prompt) is { Success: true } decorated)
        {
            Hostname = decorated.Groups["host"].Value;
            _prompt = new Regex($@"^[^\n]{{0,8}}?{Regex.Escape(Hostname)}[^\n]{{0,120}}?[{CliText.PromptEndsClass(_profile)}]\s*$",
                RegexOptions.CultureInvariant);
            return;
        }
        // Huawei VRP and HP Comware bracket the hostname by view: <HUAWEI> (user view), [HUAWEI] and
        // [HUAWEI-GigabitEthernet0/0/1] (system view and below), [~HUAWEI] / [*HUAWEI] on VRP8 (candidate); EdgeSwitch
        // puts it in parentheses: (host) >, (host) (Config)#.
        var found = Regex.Match(prompt, @"^(?<open>[<\[(][~*]?)?(?<host>[\w.@\-/]+)", RegexOptions.CultureInvariant);
        Hostname = found.Success
            ? found.Groups["host"].Value
            : prompt.TrimEnd().TrimEnd(_profile.PromptEnds.ToCharArray());
        var open = found.Groups["open"].Success ? @"[<\[(][~*]?" : "";
        _prompt = new Regex(
            $@"^{open}{Regex.Escape(Hostname)}[^\n]{{0,120}}?[{CliText.PromptEndsClass(_profile)}]\s*$",
            RegexOptions.CultureInvariant);
    }

    /// <summary>Runs <see cref="CliProfile.SessionSetup"/> (paging off and the like).</summary>
    public async Task SetupAsync(CancellationToken ct)
    {
        foreach (var command in _profile.SessionSetup)
        {
            await SendCommandAsync(command, ct);
        }
    }

    /// <summary>Enters privileged mode with the target's enable secret.</summary>
    public async Task EnableAsync(CancellationToken ct)
    {
        if (_profile.EnableCommand is null || !CurrentPrompt.TrimEnd().EndsWith('>'))
        {
            return;
        }
        var secret = Target.Credential.EnableSecret ?? Target.Credential.Password ?? "";
        await SendCommandAsync(_profile.EnableCommand, ct, new CliCommandOptions
        {
            Answers = [new CliAnswer(_profile.PasswordPrompt, secret, IsSecret: true)],
            CheckErrors = false,
        });
        if (CurrentPrompt.TrimEnd().EndsWith('>'))
        {
            throw new DeviceAuthenticationException(Target.Name, "enable refused: still at the user prompt " +
                $"'{CurrentPrompt.Trim()}' (check the enable secret)");
        }
    }

    public async Task EnterConfigModeAsync(CancellationToken ct)
    {
        if (InConfigMode || _profile.ConfigEnter.Length == 0)
        {
            return;
        }
        await SendCommandAsync(_profile.ConfigEnter, ct);
        if (!InConfigMode)
        {
            throw new DeviceCommandException(Target.Name, _profile.ConfigEnter,
                $"config mode not entered: prompt is '{CurrentPrompt.Trim()}'");
        }
    }

    /// <summary>How many levels of config mode a one-level exit is sent to leave (contexts nest a few deep).</summary>
    private const int MaxConfigDepth = 8;

    public async Task ExitConfigModeAsync(CancellationToken ct)
    {
        // Where the exit goes up one level only (EdgeSwitch's "exit" from an interface), it is sent again while each
        // one moves up.
        for (int level = 0; InConfigMode && level < MaxConfigDepth; level++)
        {
            var from = CurrentPrompt;
            await SendCommandAsync(_profile.ConfigExit, ct);
            if (CurrentPrompt == from)
            {
                break;
            }
        }
        if (InConfigMode)
        {
            throw new DeviceCommandException(Target.Name, _profile.ConfigExit,
                $"config mode not left: prompt is '{CurrentPrompt.Trim()}'");
        }
    }

    /// <summary>Sends one line and returns the reply without the echo and the prompt.</summary>
    public async Task<string> SendCommandAsync(string command, CancellationToken ct, CliCommandOptions? options = null)
    {
        options ??= CliCommandOptions.Default;
        await _gate.WaitAsync(ct);
        try
        {
            if (_broken is not null)
            {
                throw new DeviceConnectionException(Target.Name, $"session unusable after an earlier failure: {_broken}");
            }
            _screen.Reset();
            _sending = options.IsSecret ? "" : command;
            await WriteAsync(options.AppendNewline ? command + "\n" : command, options.IsSecret, ct);
            var text = await ReadUntilAsync($"'{CliText.Shorten(command)}'", options.Until, options.Answers,
                options.Timeout ?? Target.Timeouts.Command, ct, options.PromptMayChange);
            if (options.PromptMayChange && options.Until?.IsMatch(CurrentPrompt) != true)
            {
                LearnHostname(CurrentPrompt);
            }
            var output = CliText.StripEcho(text, command);
            if (options.CheckErrors && _profile.Error.Match(output) is { Success: true } error)
            {
                throw new DeviceCommandException(Target.Name, command, output, error.Value);
            }
            return output;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Replaces a dead shell with a new connection (then log in again: <see cref="LoginAsync"/>).</summary>
    /// <exception cref="DeviceConnectionException">No way to reconnect was given, or the new connection failed.</exception>
    public async Task ReopenAsync(CancellationToken ct)
    {
        if (Reopen is null)
        {
            throw new DeviceConnectionException(Target.Name, "cannot reconnect: this session was not opened by a driver factory");
        }
        await _gate.WaitAsync(ct);
        try
        {
            AppendTranscript("\n[eNMS: reconnecting]\n");
            if (!_shellClosed)
            {
                await _shell.DisposeAsync();
            }
            _shell = await Reopen(ct);
            _shellClosed = false;
            _broken = null;
            _screen.Reset();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Copies a file to the device over the shell's transport (SCP).</summary>
    /// <exception cref="DeviceException">The device refused the copy.</exception>
    /// <exception cref="NotSupportedException">The transport cannot copy files.</exception>
    public async Task UploadAsync(string path, string content, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        AppendTranscript($"\n[eNMS: scp {content.Length} characters to {path}]\n");
        await _shell.UploadAsync(path, content, ct);
    }

    /// <summary>Redacts every secret this session knows from a text.</summary>
    public string Redact(string text) => _secrets.Redact(text);

    /// <summary>Closes the connection of a session that a failure left unusable, at once rather than when the session
    /// is disposed: a device drops what an ended session held (an open FortiOS block, an OS10 transaction) only then,
    /// and a line still on its way cannot be taken after an undo made over another connection. A usable session is
    /// left open.</summary>
    public async Task CloseIfUnusableAsync()
    {
        if (_broken is null || _shellClosed)
        {
            return;
        }
        _shellClosed = true;
        AppendTranscript($"\n[eNMS: connection closed: {_broken}]\n");
        await _shell.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_shellClosed)
        {
            _shellClosed = true;
            await _shell.DisposeAsync();
        }
        _gate.Dispose();
    }

    private async Task WriteAsync(string text, bool secret, CancellationToken ct)
    {
        AppendTranscript(secret ? SecretRedactor.Marker + "\n" : text);
        try
        {
            await _shell.WriteAsync(text, ct);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            _broken = "connection lost";
            throw new DeviceConnectionException(Target.Name, "connection lost while sending", ex);
        }
    }
}
