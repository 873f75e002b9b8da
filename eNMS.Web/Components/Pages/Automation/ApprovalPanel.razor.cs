using eNMS.Core.Automation.Approvals;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Security;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Automation;

/// <summary>A run's approval gates: the devices waiting with the diff they would get, approve or reject each or all
/// (with a comment), and the decisions taken (who, when, why). Live: re-read when a device arrives or is decided.</summary>
public sealed partial class ApprovalPanel : IDisposable
{
    private List<ApprovalDecision> _decisions = [];
    private string _comment = "";
    private bool _busy;
    private RunFeed? _subscription;

    [Parameter] public int RunId { get; set; }

    /// <summary>The run still executes: decisions can be taken.</summary>
    [Parameter] public bool Running { get; set; }

    [Inject] private ApprovalGate Gate { get; set; } = default!;
    [Inject] private RunNotifier Notifier { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private List<ApprovalDecision> Pending => [.. _decisions.Where(d => d.Decision == ApprovalVerdict.Pending)];

    protected override async Task OnParametersSetAsync()
    {
        _subscription?.Dispose();
        // The gate publishes per device; the scope lets a user limited to pools hear only theirs.
        await using (var db = await Access.CreateScopedDbContextAsync())
        {
            var scope = await RunEventScope.ForRunAsync(db, RunId, CancellationToken.None);
            _subscription = Notifier.Feed(RunId, scope, _ => InvokeAsync(LoadAsync), RunFeedOptions.Frame with { Wants = e => e is ApprovalsChanged });
        }
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _decisions = await Gate.ListAsync(RunId, await Access.PoolScopeAsync(), CancellationToken.None) ?? [];
        StateHasChanged();
    }

    private static Color ColorOf(ApprovalVerdict verdict) => verdict switch
    {
        ApprovalVerdict.Approved => Color.Success,
        ApprovalVerdict.Rejected => Color.Error,
        _ => Color.Warning,
    };

    /// <summary>One device (or, with null, every pending one shown), as the API's POST does with the same rules.</summary>
    private async Task DecideAsync(int? deviceId, ApprovalVerdict verdict)
    {
        if (!await Access.CanAsync(Policies.AutomationRun))
        {
            Snackbar.Add("You may not decide approvals.", Severity.Error);
            return;
        }
        _busy = true;
        try
        {
            var user = await Access.UserAsync();
            var approver = new Approver(user.AuditName(), await Access.CanAsync(ApprovalGate.ApproverPolicy), user.ScopePoolIds());
            var devices = deviceId is int id ? [id] : Pending.Select(d => d.DeviceId).ToList();
            var outcome = await Gate.DecideAsync(RunId, new ApprovalRequest(devices, verdict, _comment), approver, CancellationToken.None);
            if (outcome.Refusal == ApprovalRefusal.None)
            {
                Snackbar.Add($"{verdict}: {string.Join(", ", outcome.Decided.Select(d => d.DeviceName))}", Severity.Success);
                _comment = "";
            }
            else
            {
                Snackbar.Add(outcome.Problem, Severity.Error);
            }
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    public void Dispose() => _subscription?.Dispose();
}
