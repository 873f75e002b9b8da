using System.Text.Json;
using System.Text.RegularExpressions;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Text;
using eNMS.Drivers.Cli;

namespace eNMS.Core.Automation.Handlers;

public enum Extraction
{
    None,
    /// <summary>Named groups of <see cref="CliCommandsParameters.Pattern"/>: one object, or a list with AllMatches.</summary>
    Regex,
    /// <summary>The last command's output parsed as JSON (e.g. `show ... | json`).</summary>
    Json,
    /// <summary>The last command's output parsed with a TextFSM template: <see cref="CliCommandsParameters.TextFsmTemplate"/>,
    /// or the one the template indexes give for the device's platform and the command. The data is the list of rows.</summary>
    TextFsm,
}

public sealed class CliCommandsParameters
{
    /// <summary>One command per line; each line may be a Liquid template.</summary>
    public string Commands { get; set; } = "";
    public Extraction Extract { get; set; }
    public string Pattern { get; set; } = "";
    public bool AllMatches { get; set; }

    /// <summary>For <see cref="Extraction.TextFsm"/>: a template's name (several joined by ':'); empty finds it by
    /// platform and command.</summary>
    public string TextFsmTemplate { get; set; } = "";

    /// <summary>Questions the commands may ask and their answers (a question no entry answers fails the command,
    /// quoting it).</summary>
    public List<CommandPrompt> Prompts { get; set; } = [];
}

/// <summary>A question a command may ask and the reply to give, as Netmiko's <c>expect_string</c> or AWX's
/// <c>prompt</c>/<c>answer</c>: <c>reload</c> → <c>Proceed with reload\? \[confirm\]</c> → Enter.</summary>
public sealed class CommandPrompt
{
    /// <summary>The commands it applies to: those starting with this text; empty for every command.</summary>
    public string Command { get; set; } = "";

    /// <summary>A regular expression found in the line the device leaves the cursor on, e.g.
    /// <c>Destination filename \[.*\]\?</c>.</summary>
    public string Prompt { get; set; } = "";

    /// <summary>What to type before Enter; empty presses Enter alone (IOS's "[confirm]"). A Liquid template.</summary>
    public string Answer { get; set; } = "";

    /// <summary>Once answered, the device closes the session (a <c>reload</c>): the connection dropping after this
    /// question was asked is the command succeeding, not a failure. It must be the last command.</summary>
    public bool EndsSession { get; set; }
}

/// <summary><c>cli_commands</c>: sends commands and returns their output; optionally extracts structured data
/// for later nodes (regex named groups or JSON).</summary>
public sealed class CliCommandsHandler(Parsing.ParsingLibrary parsing) : ServiceHandler<CliCommandsParameters>
{
    public override string Kind => "cli_commands";

    public override string Description => "Sends show or exec commands over the CLI and keeps their output, optionally extracting fields with TextFSM, a regex or JSON.";

    // No extraction in the example: a new service starts from it, and a pattern one platform's output lacks (FRR's
    // show version has no "uptime is") would fail the service on its first run for a reason the user never chose.
    protected override CliCommandsParameters ExampleParameters => new() { Commands = "show version" };

    protected override string? Validate(CliCommandsParameters p)
    {
        if (string.IsNullOrWhiteSpace(p.Commands))
        {
            return "Give at least one command.";
        }
        foreach (var (prompt, i) in (p.Prompts ?? []).Select((prompt, i) => (prompt, i + 1)))
        {
            if (string.IsNullOrWhiteSpace(prompt?.Prompt))
            {
                return $"Prompt {i} needs the question's pattern (e.g. Proceed with reload\\? \\[confirm\\]).";
            }
            if (UserRegex.Problem(prompt.Prompt) is { } problem)
            {
                return $"Prompt {i}'s pattern cannot be used: {problem}";
            }
        }
        if (p.Extract == Extraction.Regex)
        {
            try
            {
                var regex = UserRegex.Create(p.Pattern, RegexOptions.Multiline);
                return regex.GetGroupNames().Any(n => !int.TryParse(n, out _)) ? null : "The pattern needs named groups, e.g. (?<version>\\S+).";
            }
            catch (ArgumentException e)
            {
                return $"The pattern cannot be used: {e.Message}";
            }
        }
        return null;
    }

    protected override async Task<ServiceResult> ExecuteAsync(ServiceContext context, CliCommandsParameters p, CancellationToken ct)
    {
        var commands = new List<string>();
        foreach (var line in Lines(p.Commands))
        {
            commands.Add(await context.RenderAsync(line));
        }
        await using var driver = await context.ConnectAsync(ct);
        var outputs = new List<Drivers.CommandOutput>();
        foreach (var (command, i) in commands.Select((command, i) => (command, i)))
        {
            var answers = new List<CliAnswer>();
            var prompts = (p.Prompts ?? []).Where(q => command.TrimStart().StartsWith((q.Command ?? "").Trim(), StringComparison.Ordinal)).ToList();
            foreach (var prompt in prompts)
            {
                answers.Add(new CliAnswer(UserRegex.Create(prompt.Prompt), await context.RenderAsync(prompt.Answer ?? "")));
            }
            // The session so far: what the device says from here on shows whether it asked the question.
            var before = driver.Transcript.Length;
            try
            {
                outputs.Add(new Drivers.CommandOutput(command, await driver.SendCommandAsync(command, answers, ct)));
            }
            catch (Drivers.DeviceConnectionException e) when (prompts.Any(q => q.EndsSession && Asked(q, driver.Transcript, before)))
            {
                // The question was asked (and so answered) and the device went away, as a reload does.
                var rest = commands.Count - i - 1;
                if (rest > 0)
                {
                    return ServiceResult.Fail($"{context.Device?.Name}: the session ended after '{command}' as expected, so the {rest} command(s) after it did not run: put it last", e.PartialOutput);
                }
                context.Log($"'{command}' ended the session, as expected");
                outputs.Add(new Drivers.CommandOutput(command, e.PartialOutput.Trim()));
            }
        }
        var output = outputs.Count == 1 ? outputs[0].Output : string.Join("\n", outputs.Select(o => $"--- {o.Command}\n{o.Output}"));
        return p.Extract switch
        {
            Extraction.Regex => FromRegex(output, p),
            Extraction.Json => FromJson(outputs[^1].Output, output),
            Extraction.TextFsm => await FromTextFsmAsync(context, p, outputs[^1], output, ct),
            _ => ServiceResult.Ok(output),
        };
    }

    private async Task<ServiceResult> FromTextFsmAsync(ServiceContext context, CliCommandsParameters p, Drivers.CommandOutput last, string output, CancellationToken ct)
    {
        try
        {
            var table = await parsing.ParseAsync(p.TextFsmTemplate, context.Device?.Platform ?? "", last.Command, last.Output, ct);
            return ServiceResult.Ok(output, data: table.ToDictionaries());
        }
        catch (Parsing.ParsingException e)
        {
            return ServiceResult.Fail(e.Message, output);
        }
    }

    private static bool Asked(CommandPrompt prompt, string transcript, int from) =>
        UserRegex.Create(prompt.Prompt).IsMatch(transcript.Length > from ? transcript[from..] : "");

    internal static IEnumerable<string> Lines(string text) =>
        text.Replace("\r", "", StringComparison.Ordinal).Split('\n').Where(l => l.Trim().Length > 0);

    private static ServiceResult FromRegex(string output, CliCommandsParameters p)
    {
        var regex = UserRegex.Create(p.Pattern, RegexOptions.Multiline);
        var names = regex.GetGroupNames().Where(n => !int.TryParse(n, out _)).ToList();
        Dictionary<string, string> Groups(Match m) => names.ToDictionary(n => n, n => m.Groups[n].Value);
        List<Match> matches;
        try
        {
            matches = UserRegex.Guard(() => regex.Matches(output).ToList());
        }
        catch (UserRegexTimeoutException e)
        {
            return ServiceResult.Fail(e.Message, output);
        }
        if (matches.Count == 0)
        {
            return ServiceResult.Fail($"The output does not match the pattern {p.Pattern}", output);
        }
        return ServiceResult.Ok(output, data: p.AllMatches ? matches.Select(Groups).ToList() : Groups(matches[0]));
    }

    private static ServiceResult FromJson(string json, string output)
    {
        try
        {
            return ServiceResult.Ok(output, data: JsonDocument.Parse(json).RootElement.Clone());
        }
        catch (JsonException e)
        {
            return ServiceResult.Fail($"The output is not JSON: {e.Message}", output);
        }
    }
}
