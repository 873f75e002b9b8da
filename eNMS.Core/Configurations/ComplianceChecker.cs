using System.Text.RegularExpressions;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Automation.Templates;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Text;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Configurations;

/// <summary>A rule checked against one device's latest backup.</summary>
public sealed record ComplianceReport(int RuleId, string RuleName, ComplianceMode Mode, int DeviceId, string DeviceName, bool Compliant,
    long? VersionId, string Intended, string Diff, IReadOnlyList<string> Missing, string Problem = "");

/// <summary>
/// Golden-config compliance: renders each rule that applies to a device (its pools' rules, else its platform's) with
/// the device in scope, and compares the result with the device's latest backup. A device with no backup, or a
/// template that does not render, is non-compliant with the reason.
/// </summary>
public sealed class ComplianceChecker(IDbContextFactory<EnmsDbContext> dbFactory, ConfigStore store, TemplateRenderer renderer)
{
    /// <summary>Every applicable rule on every device in scope (or the given ones), device by device.</summary>
    public async Task<List<ComplianceReport>> CheckAsync(IReadOnlyCollection<int>? deviceIds, IReadOnlyList<int>? scopePoolIds, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Only the rules the current actor may read (their read lists): a rule off the list is not theirs to see applied.
        var rules = await ComplianceRules.ListAsync(db, Security.AuditActor.Current, ct);
        if (rules.Count == 0)
        {
            return [];
        }
        // The user's devices, each with every pool it is in (seen by the user or not): which rules apply to a device,
        // and what they render, must not depend on who looks. A scoped context would load only the user's pools.
        var devices = db.Devices.AsNoTracking().Include(d => d.Pools).AsQueryable();
        devices = deviceIds is null ? devices : devices.Where(d => deviceIds.Contains(d.Id));
        if (scopePoolIds is not null)
        {
            await using var scoped = await dbFactory.CreateScopedAsync(scopePoolIds, ct);
            var visible = await (deviceIds is null ? scoped.Devices : scoped.Devices.Where(d => deviceIds.Contains(d.Id))).Select(d => d.Id).ToListAsync(ct);
            devices = devices.Where(d => visible.Contains(d.Id));
        }
        var latest = (await store.LatestAsync(deviceIds, scopePoolIds, ct)).ToDictionary(v => v.DeviceId);
        var reports = new List<ComplianceReport>();
        // A rule whose template exceeded its budget once is not rendered again for the other devices: any viewer
        // opening the compliance page triggers this check, so one bad rule must cost one budget, not one per device.
        var exhausted = new Dictionary<int, string>();
        foreach (var device in await devices.OrderBy(d => d.Name).ToListAsync(ct))
        {
            foreach (var rule in rules.Where(r => Applies(r, device)))
            {
                var report = exhausted.TryGetValue(rule.Id, out var problem)
                    ? new ComplianceReport(rule.Id, rule.Name, rule.Mode, device.Id, device.Name, false, null, "", "", [], problem)
                    : await CheckAsync(rule, device, latest.GetValueOrDefault(device.Id), ct);
                if (report.Problem.Contains("template exceeded", StringComparison.Ordinal))
                {
                    exhausted[rule.Id] = report.Problem;
                }
                reports.Add(report);
            }
        }
        return reports;
    }

    public static bool Applies(ComplianceRule rule, Device device)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(device);
        return rule.PoolId is int pool ? device.Pools.Any(p => p.Id == pool)
            : rule.Platform.Length > 0 && string.Equals(rule.Platform, device.Platform, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The rule's template rendered for the device (what remediation deploys).</summary>
    public async Task<string> IntendedAsync(ComplianceRule rule, Device device, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(device);
        return await renderer.RenderAsync(rule.Template, new Dictionary<string, object?> { ["device"] = RunScope.DeviceModel(device) }, ct);
    }

    private async Task<ComplianceReport> CheckAsync(ComplianceRule rule, Device device, ConfigVersion? backup, CancellationToken ct)
    {
        ComplianceReport Report(bool compliant, string intended, string diff, IReadOnlyList<string> missing, string problem = "") =>
            new(rule.Id, rule.Name, rule.Mode, device.Id, device.Name, compliant, backup?.Id, intended, diff, missing, problem);
        string intended;
        try
        {
            intended = await IntendedAsync(rule, device, ct);
        }
        catch (TemplateException e)
        {
            return Report(false, "", "", [], $"The template of {rule.Name} does not render for {device.Name}: {e.Message}");
        }
        if (backup is null)
        {
            return Report(false, intended, "", [], $"{device.Name} has no configuration backup yet: run a config_backup first.");
        }
        var actual = Lines(backup.Config);
        switch (rule.Mode)
        {
            case ComplianceMode.FullConfig:
                var diff = LineDiff.Compare(string.Join('\n', actual), string.Join('\n', Lines(intended)));
                var compliant = diff.All(l => l.Kind == DiffKind.Same);
                return Report(compliant, intended, compliant ? "" : LineDiff.Unified(string.Join('\n', actual), string.Join('\n', Lines(intended))),
                    diff.Where(l => l.Kind == DiffKind.Added).Select(l => l.Text).ToList());
            case ComplianceMode.Snippets:
                var present = actual.Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
                var missing = Lines(intended).Where(l => !present.Contains(l.Trim())).ToList();
                return Report(missing.Count == 0, intended, string.Join('\n', missing.Select(l => "+ " + l)), missing);
            default:
                var unmatched = new List<string>();
                foreach (var pattern in Lines(intended))
                {
                    try
                    {
                        var regex = UserRegex.Create(pattern, RegexOptions.CultureInvariant);
                        if (!UserRegex.Guard(() => actual.Any(regex.IsMatch)))
                        {
                            unmatched.Add(pattern);
                        }
                    }
                    catch (ArgumentException e)
                    {
                        return Report(false, intended, "", [], $"'{pattern}' in {rule.Name} cannot be used: {e.Message}");
                    }
                }
                return Report(unmatched.Count == 0, intended, string.Join('\n', unmatched.Select(l => "no line matches " + l)), unmatched);
        }
    }

    /// <summary>Non-blank lines without trailing spaces and without the volatile lines backups ignore.</summary>
    private static List<string> Lines(string text) =>
        text.Replace("\r", "", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd())
            .Where(l => l.Trim().Length > 0 && !ConfigStore.IsVolatile(l)).ToList();
}
