using eNMS.Core.Configurations;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Security;
using eNMS.Web.Components.Shared;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Configurations;

/// <summary>Golden-config rules and every device checked against them; remediation deploys the intended
/// configuration as a run (dry run first: the run page shows the device's diff).</summary>
public sealed partial class CompliancePage
{
    private List<ComplianceRule> _rules = [];
    private List<Pool> _pools = [];
    private List<ComplianceReport> _reports = [];
    private ComplianceRule _edit = NewRule();
    private bool _reveal;
    private bool _canRun;

    [Inject] private IDbContextFactory<EnmsDbContext> DbFactory { get; set; } = default!;
    [Inject] private ComplianceChecker Checker { get; set; } = default!;
    [Inject] private ConfigActions Actions { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private static ComplianceRule NewRule() => new() { Name = "", Mode = ComplianceMode.Snippets };

    protected override async Task OnInitializedAsync()
    {
        _reveal = await Access.CanAsync(Policies.SecretsRead);
        _canRun = await Access.CanAsync(Policies.AutomationRun);
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        await using var db = await Access.CreateScopedDbContextAsync();
        _rules = await db.ComplianceRules.AsNoTracking().OrderBy(r => r.Name).ToListAsync();
        _pools = await db.Pools.AsNoTracking().OrderBy(p => p.Name).ToListAsync();
        await CheckAsync();
    }

    private async Task CheckAsync() => _reports = await Checker.CheckAsync(null, await Access.PoolScopeAsync(), CancellationToken.None);

    private string Mask(string text) => _reveal ? text : ConfigMasking.MaskSecrets(text);

    private void Edit(ComplianceRule rule) =>
        _edit = new ComplianceRule { Id = rule.Id, Name = rule.Name, PoolId = rule.PoolId, Platform = rule.Platform, Mode = rule.Mode, Template = rule.Template };

    private async Task SaveAsync()
    {
        if (!await Access.AllowsAsync(Policies.AutomationWrite, Snackbar))
        {
            return;
        }
        _edit.Platform ??= "";
        if (ComplianceRules.Problem(_edit) is { } problem)
        {
            Snackbar.Add(problem, Severity.Error);
            return;
        }
        await using var db = await DbFactory.CreateDbContextAsync();
        if (await db.ComplianceRules.AnyAsync(r => r.Name == _edit.Name && r.Id != _edit.Id))
        {
            Snackbar.Add($"A compliance rule named '{_edit.Name}' already exists.", Severity.Error);
            return;
        }
        var rule = _edit.Id > 0 ? await db.ComplianceRules.FirstAsync(r => r.Id == _edit.Id) : db.ComplianceRules.Add(new ComplianceRule { Name = _edit.Name }).Entity;
        (rule.Name, rule.PoolId, rule.Platform, rule.Mode, rule.Template) = (_edit.Name.Trim(), _edit.PoolId, _edit.Platform.Trim(), _edit.Mode, _edit.Template);
        await db.SaveChangesAsync();
        Snackbar.Add($"Saved {rule.Name}.", Severity.Success);
        Edit(rule);
        await LoadAsync();
    }

    private async Task DeleteAsync()
    {
        if (!await Access.AllowsAsync(Policies.AutomationWrite, Snackbar))
        {
            return;
        }
        await using var db = await DbFactory.CreateDbContextAsync();
        await db.ComplianceRules.Where(r => r.Id == _edit.Id).ExecuteDeleteAsync();
        _edit = NewRule();
        await LoadAsync();
    }

    private async Task RemediateAsync(ComplianceReport report, bool dryRun)
    {
        if (!await Access.AllowsAsync(Policies.AutomationRun, Snackbar))
        {
            return;
        }
        var user = await Access.UserAsync();
        var launch = await Actions.RemediateAsync(report.RuleId, [report.DeviceId], dryRun, await Access.ActorAsync(), user.ScopePoolIds(), CancellationToken.None);
        if (launch.Started)
        {
            Navigation.NavigateTo($"runs/{launch.RunId}");
        }
        else
        {
            Snackbar.Add(string.Join(" ", launch.Problems), Severity.Error);
        }
    }
}
