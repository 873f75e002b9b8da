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
        var saved = await ComplianceRules.SaveAsync(DbFactory, _edit.Id > 0 ? _edit.Id : null, _edit, CancellationToken.None);
        if (saved.Rule is not { } rule)
        {
            Snackbar.Add(saved.Problem!, Severity.Error);
            return;
        }
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
        await ComplianceRules.DeleteAsync(DbFactory, _edit.Id, CancellationToken.None);
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
