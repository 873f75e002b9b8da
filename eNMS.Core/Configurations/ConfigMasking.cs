using System.Text.RegularExpressions;

namespace eNMS.Core.Configurations;

/// <summary>Hides secrets in device configuration text (IOS/EOS/NX-OS/Junos/FRR/Linux styles) for users who may not
/// read them: the keyword stays, what follows it becomes <c>******</c>.</summary>
public static partial class ConfigMasking
{
    public const string Mask = "******";

    // keyword (optionally followed by an encryption type digit) then the value up to the end of the line.
    [GeneratedRegex(@"(?<lead>\b(?:enable\s+secret|enable\s+password|secret|password|passwd|pre-shared-key|key-string|authentication-key|md5|community|encrypted-password|key)\b(?:\s+[0-9]{1,2}(?=\s))?[\s""=:]+)(?<value>[^\r\n]+)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SecretLine();

    [GeneratedRegex(@"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----",
        RegexOptions.Singleline | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex PrivateKeyBlock();

    public static string MaskSecrets(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }
        var masked = PrivateKeyBlock().Replace(text, "-----PRIVATE KEY " + Mask + "-----");
        return SecretLine().Replace(masked, m => m.Groups["lead"].Value + Mask + (m.Groups["value"].Value.TrimEnd().EndsWith(';') ? ";" : ""));
    }

    /// <summary>A copy of a run result whose output, diff and data have their secrets masked (the original, which
    /// the run may still hold, is left untouched).</summary>
    public static Automation.RunResult Masked(Automation.RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new Automation.RunResult
        {
            Id = result.Id,
            RunId = result.RunId,
            Node = result.Node,
            ServiceId = result.ServiceId,
            ServiceName = result.ServiceName,
            DeviceId = result.DeviceId,
            DeviceName = result.DeviceName,
            Success = result.Success,
            Changed = result.Changed,
            Skipped = result.Skipped,
            Attempts = result.Attempts,
            StartedAt = result.StartedAt,
            DurationMs = result.DurationMs,
            Error = result.Error,
            Output = MaskSecrets(result.Output),
            Diff = MaskSecrets(result.Diff),
            Data = MaskSecrets(result.Data),
        };
    }
}
