using System.Text.RegularExpressions;
using eNMS.Core.Text;

namespace eNMS.Core.Configurations;

/// <summary>One matching line of a configuration, with its context lines.</summary>
public sealed record ConfigMatch(int LineNumber, string Line, IReadOnlyList<string> Before, IReadOnlyList<string> After);

/// <summary>A device whose latest configuration matches, and where; <c>VersionNumber</c> is the version's place in its
/// device's history (<see cref="ConfigVersionInfo.Number"/>), what the pages call it.</summary>
public sealed record ConfigSearchHit(int DeviceId, string DeviceName, long VersionId, int VersionNumber, DateTimeOffset CreatedAt, IReadOnlyList<ConfigMatch> Matches);

/// <summary>Searches the latest configuration of every device in the user's scope for a text (case-insensitive) or a regular expression.</summary>
public sealed class ConfigSearch(ConfigStore store)
{
    public const int MaxContextLines = 10;

    /// <exception cref="ArgumentException">The pattern is empty or not a valid regular expression.</exception>
    public async Task<List<ConfigSearchHit>> SearchAsync(string pattern, bool regex, int contextLines, bool maskSecrets, IReadOnlyList<int>? scopePoolIds, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            throw new ArgumentException("Give a text or a regular expression to search for.", nameof(pattern));
        }
        var matcher = UserRegex.Create(regex ? pattern : Regex.Escape(pattern), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        var context = Math.Clamp(contextLines, 0, MaxContextLines);
        var hits = new List<ConfigSearchHit>();
        var latest = await store.LatestAsync(null, scopePoolIds, ct);
        var numbers = await store.NumbersAsync([.. latest.Select(v => v.Id)], ct);
        foreach (var version in latest)
        {
            var text = maskSecrets ? ConfigMasking.MaskSecrets(version.Config) : version.Config;
            var lines = text.Replace("\r", "", StringComparison.Ordinal).Split('\n');
            var matches = new List<ConfigMatch>();
            for (var i = 0; i < lines.Length; i++)
            {
                if (UserRegex.Guard(() => matcher.IsMatch(lines[i])))
                {
                    matches.Add(new ConfigMatch(i + 1, lines[i], lines[Math.Max(0, i - context)..i], lines[(i + 1)..Math.Min(lines.Length, i + 1 + context)]));
                }
            }
            if (matches.Count > 0)
            {
                hits.Add(new ConfigSearchHit(version.DeviceId, version.DeviceName, version.Id, numbers[version.Id], version.CreatedAt, matches));
            }
        }
        return hits;
    }
}
