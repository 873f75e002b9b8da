using System.Globalization;
using eNMS.Drivers.Config;

namespace eNMS.Core.Configurations;

/// <summary>
/// Tells whether a backup's output is a complete configuration before it may replace the device's last good one:
/// the platform's end marker (asked of the driver), eNMS's own cut markers (output cap, partial output), bytes that
/// did not decode (U+FFFD) or control characters, and a shrink beyond <see cref="ConfigurationOptions.MaxShrinkShare"/>.
/// </summary>
public static class BackupCheck
{
    /// <summary>What eNMS writes where it cut a device's output (the CLI's output cap, partial output before a drop).</summary>
    public const string CutMarkerPrefix = "[eNMS: ";

    /// <summary>Every reason the text is not a complete configuration, joined; null when it is one.</summary>
    public static string? Problems(string config, ConfigShape shape, string? previousGood, double maxShrinkShare)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(shape);
        if (config.Trim().Length == 0)
        {
            return "the output is empty";
        }
        var problems = new List<string>();
        if (config.Contains(CutMarkerPrefix, StringComparison.Ordinal))
        {
            problems.Add("the output was cut (it carries eNMS's cut marker)");
        }
        int replaced = config.Count(c => c == '\uFFFD');
        if (replaced > 0)
        {
            problems.Add($"{replaced} byte(s) did not decode as text (U+FFFD)");
        }
        int control = config.Count(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'));
        if (control > 0)
        {
            problems.Add($"{control} control character(s) in the output");
        }
        if (shape.Problem(config) is { } shapeProblem)
        {
            problems.Add(shapeProblem);
        }
        if (previousGood is not null && maxShrinkShare is > 0 and < 1)
        {
            double before = Size(previousGood), after = Size(config);
            double shrink = before == 0 ? 0 : 1 - (after / before);
            if (shrink > maxShrinkShare)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{shrink:P0} smaller than the last good version (more than Configurations:MaxShrinkShare = {maxShrinkShare:P0})"));
            }
        }
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    /// <summary>Characters of the lines that carry configuration (blank and volatile lines left out).</summary>
    private static int Size(string config) => config.Replace("\r", "", StringComparison.Ordinal).Split('\n')
        .Where(l => l.Trim().Length > 0 && !ConfigStore.IsVolatile(l)).Sum(l => l.Trim().Length);
}
