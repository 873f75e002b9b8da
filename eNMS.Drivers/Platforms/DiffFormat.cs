namespace eNMS.Drivers.Platforms;

/// <summary>Brings a device's own diff output to the common shape: "+ line", "- line", "  context".</summary>
internal static class DiffFormat
{
    /// <summary>Lines whose first non-space character is + or - become "+ "/"- " lines (indentation kept); others are context.
    /// Lines <paramref name="skip"/> matches (headers, "no changes") are dropped.</summary>
    public static string Normalize(string deviceDiff, Func<string, bool> skip)
    {
        var lines = new List<string>();
        foreach (var raw in deviceDiff.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            var trimmed = raw.TrimStart();
            if (trimmed.Length == 0 || skip(trimmed) || trimmed.TrimStart('+', '-').Trim() is "!" or "")
            {
                // "!" separators (added or not) say nothing about what changes.
                continue;
            }
            // IOS puts the sign after the indentation (" +description x"); unified and Junos diffs put it in
            // the first column ("+ description x", "+   routing-options {"): either way keep the indentation.
            var indent = raw[..(raw.Length - trimmed.Length)];
            lines.Add(trimmed[0] is '+' or '-'
                ? $"{trimmed[0]} {indent}{trimmed[1..]}"
                : "  " + raw);
        }
        return lines.Any(l => l[0] is '+' or '-') ? string.Join('\n', lines) : "";
    }
}
