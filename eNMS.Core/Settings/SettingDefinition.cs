using System.Globalization;
using System.Net;
using System.Net.Mail;
using System.Text.RegularExpressions;

namespace eNMS.Core.Settings;

/// <summary>What a setting's value must look like; each kind has its own check.</summary>
public enum SettingKind
{
    Text,
    /// <summary>An absolute http(s) URL; a tile URL template may hold {z}, {x} and {y}.</summary>
    Url,
    Email,
    HostName,
    /// <summary>A whole number within the definition's bounds.</summary>
    WholeNumber,
    Boolean,
    /// <summary>Networks in CIDR notation (10.0.0.0/8), one per line or comma-separated; bound as a list.</summary>
    CidrList,
    /// <summary>platform=number pairs (cisco_ios=10), one per line or comma-separated; bound as a dictionary.</summary>
    PlatformLimits,
    /// <summary>Encrypted at rest, never returned: only whether it is set.</summary>
    Secret,
    /// <summary>A git branch name.</summary>
    Branch,
    /// <summary>A git remote: a URL or path that holds no password.</summary>
    GitRemote,
}

/// <summary>One setting the admin page and API offer: its configuration key, how it is checked, and whether its
/// consumer picks a change up while the app runs (<see cref="Live"/>) or at the next start.</summary>
public sealed partial record SettingDefinition(string Key, string Group, string Label, SettingKind Kind, bool Live, string Help,
    long Min = 1, long Max = long.MaxValue)
{
    public bool IsSecret => Kind == SettingKind.Secret;

    /// <summary>Lists and dictionaries are bound from child keys (Key:0, Key:cisco_ios), not from the key itself.</summary>
    public bool HasChildren => Kind is SettingKind.CidrList or SettingKind.PlatformLimits;

    /// <summary>The value in the form it is stored and shown: trimmed, list entries one per line.</summary>
    public string Normalize(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return HasChildren ? string.Join('\n', Entries(value)) : value.Trim();
    }

    /// <summary>Null when <paramref name="value"/> is acceptable, else a message that names the setting.</summary>
    public string? Validate(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var problem = Problem(Normalize(value));
        return problem is null ? null : $"{Label} ({Key}): {problem}";
    }

    private string? Problem(string value) => Kind switch
    {
        _ when value.Length > 2000 => "is longer than 2,000 characters.",
        _ when value.Any(char.IsControl) && !HasChildren => "may not hold control characters or line breaks.",
        SettingKind.Url => UrlProblem(value),
        SettingKind.Email => value.Length == 0 || MailAddress.TryCreate(value, out var mail) && mail.Address == value && mail.Host.Length > 0
            ? null : $"'{value}' is not an e-mail address (name@example.net).",
        SettingKind.HostName => value.Length == 0 || Uri.CheckHostName(value) != UriHostNameType.Unknown ? null : $"'{value}' is not a host name or address.",
        SettingKind.WholeNumber => long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= Min && number <= Max
            ? null : Max == long.MaxValue ? $"'{value}' is not a whole number of at least {Min}." : $"'{value}' is not a whole number from {Min} to {Max}.",
        SettingKind.Boolean => value is "true" or "false" ? null : $"'{value}' is neither true nor false.",
        SettingKind.CidrList => Entries(value).FirstOrDefault(e => !IPNetwork.TryParse(e, out _)) is { } bad
            ? $"'{bad}' is not a network in CIDR notation (10.0.0.0/8, 2001:db8::/32)." : null,
        SettingKind.PlatformLimits => Entries(value).FirstOrDefault(e => !PlatformLimit().IsMatch(e)) is { } wrong
            ? $"'{wrong}' is not platform=number (cisco_ios=10) with a number of at least 1." : null,
        SettingKind.Branch => value.Length > 0 && BranchName().IsMatch(value) && !value.Contains("..", StringComparison.Ordinal) && !value.EndsWith(".lock", StringComparison.Ordinal)
            ? null : $"'{value}' is not a valid branch name.",
        SettingKind.GitRemote => Uri.TryCreate(value, UriKind.Absolute, out var remote) && remote.UserInfo.Contains(':', StringComparison.Ordinal)
            ? "holds a password: use a credential helper or an SSH key of the service account instead." : null,
        _ => null,
    };

    private static string? UrlProblem(string value)
    {
        if (value.Length == 0)
        {
            return null;
        }
        var plain = value.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal);
        if (!Uri.TryCreate(plain, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Host.Length == 0)
        {
            return $"'{value}' is not an absolute http or https URL.";
        }
        return url.UserInfo.Length > 0 ? "may not hold a user name or password." : null;
    }

    /// <summary>The entries of a list value: one per line or comma, blanks dropped.</summary>
    public static IReadOnlyList<string> Entries(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return [.. value.Split(['\n', '\r', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+\s*=\s*[1-9][0-9]{0,8}$")]
    private static partial Regex PlatformLimit();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._/\-]*$")]
    private static partial Regex BranchName();
}
