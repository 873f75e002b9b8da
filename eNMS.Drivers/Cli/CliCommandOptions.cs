using System.Text.RegularExpressions;

namespace eNMS.Drivers.Cli;

/// <summary>A reply to give when the device asks something mid-command (e.g. a "[confirm]" or a file name).</summary>
public sealed record CliAnswer(Regex Question, string Reply, bool IsSecret = false);

/// <summary>How one command is sent and read.</summary>
public sealed record CliCommandOptions
{
    public static CliCommandOptions Default { get; } = new();

    /// <summary>For commands that may rename the device (commit, replace, rollback).</summary>
    public static CliCommandOptions PromptChanging { get; } = new() { PromptMayChange = true };

    /// <summary>Stop reading when the partial line matches this instead of a prompt.</summary>
    public Regex? Until { get; init; }

    public IReadOnlyList<CliAnswer> Answers { get; init; } = [];

    /// <summary>Throw <see cref="DeviceCommandException"/> when the reply matches the platform's error pattern.</summary>
    public bool CheckErrors { get; init; } = true;

    /// <summary>The text sent is a secret: the transcript shows it redacted.</summary>
    public bool IsSecret { get; init; }

    /// <summary>False to send the text exactly as given (e.g. ending with Ctrl-D).</summary>
    public bool AppendNewline { get; init; } = true;

    /// <summary>The command may change the hostname (a commit, a replace, a <c>hostname</c> line): any prompt ends the
    /// reply and the hostname is learned again from it.</summary>
    public bool PromptMayChange { get; init; }

    /// <summary>Overrides the target's command timeout (e.g. for a slow commit).</summary>
    public TimeSpan? Timeout { get; init; }
}
