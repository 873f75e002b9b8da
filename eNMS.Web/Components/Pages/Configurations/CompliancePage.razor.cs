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
    private AccessFields _access = new();
    /// <summary>The rule being edited as stored (null: a new one): whose owner decides who may change its lists.</summary>
    private ComplianceRule? _stored;
    /// <summary>Why this user may only look at the rule (its edit list leaves them out), or null.</summary>
    private string? _readOnly;

    [Inject] private IDbContextFactory<EnmsDbContext> DbFactory { get; set; } = default!;
    [Inject] private ComplianceChecker Checker { get; set; } = default!;
    [Inject] private ConfigActions Actions { get; set; } = default!;
    [Inject] private AuditLog Audit { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private static ComplianceRule NewRule() => new() { Name = "", Mode = ComplianceMode.Snippets };

    protected override async Task OnInitializedAsync()
    {
        _reveal = await Access.CanAsync(Policies.SecretsRead);
        _canRun = await Access.CanAsync(Policies.AutomationRun);
        await NewAsync();
        await LoadAsync();
    }

    private async Task NewAsync() =>
        (_edit, _stored, _access, _readOnly) = (NewRule(), null, AccessFields.From(null, (await Access.ActorAsync()).User), null);

    private async Task LoadAsync()
    {
        await using var db = await Access.CreateScopedDbContextAsync();
        _rules = await ComplianceRules.ListAsync(db, await Access.ActorAsync(), CancellationToken.None);
        _pools = await db.Pools.AsNoTracking().OrderBy(p => p.Name).ToListAsync();
        await CheckAsync();
    }

    private async Task CheckAsync() => _reports = await Checker.CheckAsync(null, await Access.PoolScopeAsync(), CancellationToken.None);

    private string Mask(string text) => _reveal ? text : ConfigMasking.MaskSecrets(text);

    private async Task EditAsync(ComplianceRule rule)
    {
        _edit = new ComplianceRule { Id = rule.Id, Name = rule.Name, PoolId = rule.PoolId, Platform = rule.Platform, Mode = rule.Mode, Template = rule.Template };
        (_stored, _access) = (rule, AccessFields.From(rule));
        _readOnly = ObjectAccess.Refusal(await Access.ActorAsync(), rule, "This rule", AccessRight.Edit);
    }

    private async Task SaveAsync()
    {
        if (!await Access.AllowsAsync(Policies.AutomationWrite, Snackbar))
        {
            return;
        }
        ComplianceRuleSave saved;
        try
        {
            saved = await ComplianceRules.SaveAsync(DbFactory, Audit, _edit.Id > 0 ? _edit.Id : null, _edit,
                new AccessChange(_access.OwnerChange, _access.ReadAccess, _access.EditAccess), await Access.PoolScopeAsync(), CancellationToken.None);
        }
        catch (AccessDeniedException e)
        {
            Snackbar.Add(e.Message, Severity.Error);
            return;
        }
        if (saved.Rule is not { } rule)
        {
            Snackbar.Add(saved.Problem!, Severity.Error);
            return;
        }
        Snackbar.Add($"Saved {rule.Name}.", Severity.Success);
        await EditAsync(rule);
        await LoadAsync();
    }

    private async Task DeleteAsync()
    {
        if (!await Access.AllowsAsync(Policies.AutomationWrite, Snackbar))
        {
            return;
        }
        try
        {
            await ComplianceRules.DeleteAsync(DbFactory, Audit, _edit.Id, await Access.PoolScopeAsync(), CancellationToken.None);
        }
        catch (AccessDeniedException e)
        {
            Snackbar.Add(e.Message, Severity.Error);
            return;
        }
        await NewAsync();
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
