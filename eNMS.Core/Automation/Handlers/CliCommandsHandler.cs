using System.Text.Json;
using System.Text.RegularExpressions;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Text;

namespace eNMS.Core.Automation.Handlers;

public enum Extraction
{
    None,
    /// <summary>Named groups of <see cref="CliCommandsParameters.Pattern"/>: one object, or a list with AllMatches.</summary>
    Regex,
    /// <summary>The last command's output parsed as JSON (e.g. `show ... | json`).</summary>
    Json,
}

public sealed class CliCommandsParameters
{
    /// <summary>One command per line; each line may be a Liquid template.</summary>
    public string Commands { get; set; } = "";
    public Extraction Extract { get; set; }
    public string Pattern { get; set; } = "";
    public bool AllMatches { get; set; }
}

/// <summary><c>cli_commands</c>: sends commands and returns their output; optionally extracts structured data
/// for later nodes (regex named groups or JSON).</summary>
public sealed class CliCommandsHandler : ServiceHandler<CliCommandsParameters>
{
    public override string Kind => "cli_commands";

    protected override string? Validate(CliCommandsParameters p)
    {
        if (string.IsNullOrWhiteSpace(p.Commands))
        {
            return "Give at least one command.";
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
        await using var session = await context.ConnectAsync(ct);
        var outputs = await session.Driver.SendCommandsAsync(commands, ct);
        var output = outputs.Count == 1 ? outputs[0].Output : string.Join("\n", outputs.Select(o => $"--- {o.Command}\n{o.Output}"));
        return p.Extract switch
        {
            Extraction.Regex => FromRegex(output, p),
            Extraction.Json => FromJson(outputs[^1].Output, output),
            _ => ServiceResult.Ok(output),
        };
    }

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
