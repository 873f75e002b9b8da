using System.Text.RegularExpressions;

namespace eNMS.Drivers.Cli;

/// <summary>How a platform's CLI looks: what a prompt ends with, how paging is turned off, what an error reply
/// looks like, how config mode is entered and left. Each platform driver declares one.</summary>
public sealed record CliProfile
{
    public static CliProfile Default { get; } = new();

    /// <summary>Characters a prompt ends with (before optional spaces).</summary>
    public string PromptEnds { get; init; } = ">#$%";

    /// <summary>Commands sent once after login (e.g. <c>terminal length 0</c>).</summary>
    public IReadOnlyList<string> SessionSetup { get; init; } = [];

    /// <summary>Questions some devices ask before the first prompt, with their answers (Huawei's "Change now? [Y/N]:"
    /// for an expiring password, Comware's "Press Y or ENTER to continue, N to exit.").</summary>
    public IReadOnlyList<CliAnswer> LoginAnswers { get; init; } = [];

    /// <summary>A pager prompt answered with a space when paging could not be turned off.</summary>
    public Regex More { get; init; } = new(@"-{2,}\s*\(?more\b[^\n]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>Lines that mean the device refused a command.</summary>
    public Regex Error { get; init; } = new(@"^\s*% ?(Invalid|Incomplete|Ambiguous|Unknown|Unrecognized|Error|Bad)\b[^\n]*", RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>The command that leads to privileged mode when the prompt ends with '&gt;' (null: none).</summary>
    public string? EnableCommand { get; init; }

    public Regex PasswordPrompt { get; init; } = new(@"(?:[Pp]assword|[Ss]ecret):\s*$", RegexOptions.CultureInvariant);

    /// <summary>Empty on a platform without a config mode (EXOS): config lines are sent at the prompt as they are.</summary>
    public string ConfigEnter { get; init; } = "configure terminal";

    public string ConfigExit { get; init; } = "end";

    /// <summary>The config line that renames the device (and so changes the prompt): <c>sysname</c> on Huawei and HP
    /// Comware.</summary>
    public string RenameCommand { get; init; } = "hostname";

    /// <summary>What the prompt looks like in config mode (matched against <see cref="CliSession.CurrentContext"/>
    /// where the platform has a <see cref="PromptContext"/> line).</summary>
    public Regex ConfigPrompt { get; init; } = new(@"\(conf[^)]*\)\s*#\s*$", RegexOptions.CultureInvariant);

    /// <summary>How the host name is read from a prompt that carries more than it, in the group <c>host</c> (EXOS's
    /// <c>* X440G2-48t.5 # </c>: a star while changes are unsaved, a counter that moves with every command); the prompt
    /// is then any line with the host name near its start. Null: the usual reading.</summary>
    public Regex? PromptHost { get; init; }

    /// <summary>A line the device prints above each prompt, part of the prompt rather than of the reply (Nokia
    /// MD-CLI's <c>[/]</c>, <c>*[pr:/configure]</c>): taken out of replies and kept as
    /// <see cref="CliSession.CurrentContext"/>. Null: the prompt is one line.</summary>
    public Regex? PromptContext { get; init; }
}
