using Serilog.Core;
using Serilog.Events;

namespace eNMS.Web.Operations;

/// <summary>
/// The log levels an admin may change while the app runs: the default and one per log category named in
/// <c>Logging:LogLevel</c> (plus eNMS's and Quartz's own). Serilog reads them through level switches, so a change takes
/// effect at once, on this node, until it restarts (the configuration file is what a restart comes back to).
/// </summary>
public sealed class LogLevels
{
    public const string Default = "Default";

    private static readonly string[] AlwaysListed = ["eNMS", "Quartz", "Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore"];

    private readonly Dictionary<string, LoggingLevelSwitch> _switches = new(StringComparer.OrdinalIgnoreCase);

    public LogLevels(IConfiguration configuration)
    {
        var section = configuration.GetSection("Logging:LogLevel");
        var defaultLevel = Parse(section[Default]) ?? LogEventLevel.Information;
        _switches[Default] = new LoggingLevelSwitch(defaultLevel);
        foreach (var category in section.GetChildren().Select(c => c.Key).Concat(AlwaysListed))
        {
            if (!_switches.ContainsKey(category))
            {
                _switches[category] = new LoggingLevelSwitch(Parse(section[category]) ?? defaultLevel);
            }
        }
    }

    public LoggingLevelSwitch DefaultSwitch => _switches[Default];

    /// <summary>The per-category switches (without the default), most specific categories win in Serilog.</summary>
    public IEnumerable<KeyValuePair<string, LoggingLevelSwitch>> Overrides => _switches.Where(s => s.Key != Default);

    /// <summary>Every category and its level, the default first.</summary>
    public IReadOnlyList<LogLevelSetting> Current =>
        [.. _switches.OrderBy(s => s.Key == Default ? "" : s.Key, StringComparer.OrdinalIgnoreCase).Select(s => new LogLevelSetting(s.Key, ToName(s.Value.MinimumLevel)))];

    /// <summary>Sets a category's level; false for a category that is not listed or a level that is not one of
    /// Microsoft.Extensions.Logging's names (Trace, Debug, Information, Warning, Error, Critical).</summary>
    public bool TrySet(string category, string level, out string previous)
    {
        previous = "";
        if (!_switches.TryGetValue(category, out var levelSwitch) || Parse(level) is not { } parsed)
        {
            return false;
        }
        previous = ToName(levelSwitch.MinimumLevel);
        levelSwitch.MinimumLevel = parsed;
        return true;
    }

    /// <summary>Microsoft.Extensions.Logging's level names (what appsettings uses), mapped to Serilog's. "None" is not
    /// offered: silencing a category entirely is what a restart with a configuration change is for.</summary>
    private static LogEventLevel? Parse(string? name) =>
        Enum.TryParse<LogLevel>(name, ignoreCase: true, out var level) ? level switch
        {
            LogLevel.Trace => LogEventLevel.Verbose,
            LogLevel.Debug => LogEventLevel.Debug,
            LogLevel.Information => LogEventLevel.Information,
            LogLevel.Warning => LogEventLevel.Warning,
            LogLevel.Error => LogEventLevel.Error,
            LogLevel.Critical => LogEventLevel.Fatal,
            _ => null,
        } : null;

    private static string ToName(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose => nameof(LogLevel.Trace),
        LogEventLevel.Debug => nameof(LogLevel.Debug),
        LogEventLevel.Information => nameof(LogLevel.Information),
        LogEventLevel.Warning => nameof(LogLevel.Warning),
        LogEventLevel.Error => nameof(LogLevel.Error),
        _ => nameof(LogLevel.Critical),
    };

    public static IReadOnlyList<string> Names { get; } =
        [nameof(LogLevel.Trace), nameof(LogLevel.Debug), nameof(LogLevel.Information), nameof(LogLevel.Warning), nameof(LogLevel.Error), nameof(LogLevel.Critical)];
}

public sealed record LogLevelSetting(string Category, string Level);
