using System.Text.RegularExpressions;

namespace eNMS.Drivers.Cli;

/// <summary>The text rules a CLI session reads a device's replies by: what looks like a prompt or a question, the
/// command's echo, and the last words of a device that hung up (shared by the SSH/Telnet session and the Telnet login).</summary>
internal static class CliText
{
    /// <summary>The device's last lines before it closed the session ("Maximum number of sessions reached", a
    /// refusal after the banner): often the only explanation there is.</summary>
    internal static string LastWords(string seen)
    {
        var last = seen.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).TakeLast(2).ToList();
        return last.Count == 0 ? "" : $"; the device's last words: '{Shorten(string.Join(" / ", last), 200)}'";
    }

    internal static string StripEcho(string text, string command)
    {
        int newline = text.IndexOf('\n', StringComparison.Ordinal);
        if (newline < 0)
        {
            return text;
        }
        var first = text[..newline].Trim();
        var sent = command.Trim();
        bool isEcho = first.Length == 0 ? sent.Length == 0 : first.EndsWith(sent, StringComparison.Ordinal);
        var rest = isEcho ? text[(newline + 1)..] : text;
        return rest.TrimEnd('\n');
    }

    /// <summary>A line that asks something: a confirmation ("[confirm]", "[yes/no]:", "(y/n)"), a question mark, or a
    /// password (IOS's copy from scp:, a reload's "Save?").</summary>
    internal static readonly Regex Question = new(
        @"(?:\[confirm\]|\[y(?:es)?/n(?:o)?\]:?|\(y(?:es)?/n(?:o)?\)(?:\s*\[[a-z]+\])?:?|\[yes,no\](?:\s*\([a-z]+\))?|\?|password:)\s*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>Any prompt: a short unterminated line ending like a prompt, with at least one letter or digit (a row of
    /// '#' from a banner split across reads is not one).</summary>
    internal static Regex AnyPrompt(CliProfile profile) =>
        new($@"^(?=[^\n]*\w)[^\n]{{1,120}}?[{PromptEndsClass(profile)}]\s*$", RegexOptions.CultureInvariant);

    /// <summary>The prompt's last characters inside a character class: Regex.Escape leaves ']' (Huawei's [host]) and
    /// '-' as they are, which would close the class or make a range.</summary>
    internal static string PromptEndsClass(CliProfile profile) =>
        Regex.Escape(profile.PromptEnds).Replace("]", @"\]", StringComparison.Ordinal).Replace("-", @"\-", StringComparison.Ordinal);

    internal static string Shorten(string text, int max = 60) => text.Length <= max ? text : text[..(max - 3)] + "...";
}
