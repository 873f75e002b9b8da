using System.Text;
using eNMS.Drivers;
using eNMS.Drivers.Cli;

namespace eNMS.Tests.Drivers;

/// <summary>
/// A device replayed from recorded replies: each line written gets <see cref="Respond"/>'s reply (echo, output and
/// prompt, as the device sent them), a lone space (a pager's answer) gets <see cref="OnSpace"/>'s. No reply: silence.
/// </summary>
internal sealed class ScriptedShell : ChannelShell
{
    private readonly StringBuilder _pending = new();

    public ScriptedShell(params string[] greeting)
    {
        foreach (var chunk in greeting)
        {
            Emit(chunk);
        }
    }

    public Func<string, string?> Respond { get; set; } = _ => null;

    public Func<string?> OnSpace { get; set; } = () => null;

    public List<string> Lines { get; } = [];

    public bool Disposed { get; private set; }

    public override ValueTask WriteAsync(string text, CancellationToken ct)
    {
        if (text == " ")
        {
            if (OnSpace() is { } more)
            {
                Emit(more);
            }
            return ValueTask.CompletedTask;
        }
        _pending.Append(text);
        int newline;
        while ((newline = _pending.ToString().IndexOf('\n', StringComparison.Ordinal)) >= 0)
        {
            var line = _pending.ToString(0, newline);
            _pending.Remove(0, newline + 1);
            Lines.Add(line);
            if (Respond(line) is { } reply)
            {
                Emit(reply);
            }
        }
        return ValueTask.CompletedTask;
    }

    public override ValueTask DisposeAsync()
    {
        Disposed = true;
        return base.DisposeAsync();
    }
}

/// <summary>A simple recorded CLI: a prompt, command → output, unknown commands answered IOS-style.</summary>
internal sealed class FakeCli
{
    public FakeCli(string prompt, params string[] banner)
    {
        Prompt = prompt;
        Shell = new ScriptedShell([.. banner, prompt]);
        Shell.Respond = Reply;
    }

    public string Prompt { get; set; }

    public ScriptedShell Shell { get; }

    public Dictionary<string, string> Outputs { get; } = [];

    /// <summary>Replies that are not "echo + output + prompt" (pagers, questions, silence).</summary>
    public Dictionary<string, Func<string?>> Custom { get; } = [];

    public static string Crlf(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);

    public static DeviceTarget Target(string platform = "cisco_ios", int maxOutput = 1 << 20, double readSeconds = 5) =>
        new("r1", "127.0.0.1", platform, new DeviceCredential("admin", "s3cret-pass") { EnableSecret = "en-secret-42" })
        {
            MaxOutputChars = maxOutput,
            Timeouts = new DeviceTimeouts(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(readSeconds), TimeSpan.FromSeconds(10)),
        };

    public CliSession Session(DeviceTarget? target = null) => new(Shell, target ?? Target());

    private string? Reply(string line)
    {
        if (Custom.TryGetValue(line, out var custom))
        {
            return custom();
        }
        if (line.Length == 0)
        {
            return "\r\n" + Prompt;
        }
        var output = Outputs.TryGetValue(line, out var o)
            ? o
            : $"              ^\n% Invalid input detected at '^' marker.\n";
        if (output.Length > 0 && !output.EndsWith('\n'))
        {
            output += "\n";
        }
        return line + "\r\n" + Crlf(output) + Prompt;
    }
}
