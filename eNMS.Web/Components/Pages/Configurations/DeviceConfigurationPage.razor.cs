using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Configurations;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Core.Text;
using eNMS.Web.Components.Shared;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Configurations;

/// <summary>A device's configuration history: version timeline, unified or side-by-side diff between any two
/// versions, its compliance, and rollback to a version (a dry-run preview of the device's diff, then confirmation).</summary>
public sealed partial class DeviceConfigurationPage
{
    private List<ConfigVersionInfo> _versions = [];
    private List<ComplianceReport> _compliance = [];
    private List<BreadcrumbItem> _crumbs = [];
    private List<SideBySideRow> _rows = [];
    private string _unified = "";
    private string _textB = "";
    private string _view = "unified";
    private string? _deviceName;
    private long _a;
    private long _b;
    private long? _current;
    private bool _reveal;
    private bool _canRun;
    private IReadOnlyList<int>? _scope;
    private RollbackState? _rollback;
    private RunFeed? _subscription;

    private sealed class RollbackState(long versionId)
    {
        public long VersionId { get; } = versionId;
        public int RunId { get; set; }
        public RunResult? Result { get; set; }
    }

    [Parameter] public int Id { get; set; }

    [Inject] private IDbContextFactory<EnmsDbContext> DbFactory { get; set; } = default!;
    [Inject] private ConfigStore Store { get; set; } = default!;
    [Inject] private ComplianceChecker Compliance { get; set; } = default!;
    [Inject] private ConfigActions Actions { get; set; } = default!;
    [Inject] private RunNotifier Notifier { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        _scope = await Access.PoolScopeAsync();
        await using (var db = await DbFactory.CreateScopedAsync(_scope, CancellationToken.None))
        {
            // A device outside the user's pools is shown as missing, like one that does not exist.
            _deviceName = await db.Devices.Where(d => d.Id == Id).Select(d => d.Name).FirstOrDefaultAsync();
        }
        _crumbs = [new("Devices", "devices"), new(_deviceName ?? $"#{Id}", $"devices/{Id}"), new("Configuration", null, disabled: true)];
        _reveal = await Access.CanAsync(Policies.SecretsRead);
        _canRun = await Access.CanAsync(Policies.AutomationRun);
        _versions = await Store.VersionsAsync(Id, _scope, CancellationToken.None);
        _compliance = await Compliance.CheckAsync([Id], _scope, CancellationToken.None);
        // The current version is the newest good one: a flagged backup never replaces it.
        _current = _versions.FirstOrDefault(v => v.Flag is null)?.Id;
        if (_versions.Count > 0)
        {
            await SelectAsync(_versions.Count > 1 ? _versions[1].Id : _versions[0].Id, _versions[0].Id);
        }
    }

    /// <summary>The per-device number people read, for a version id of this page.</summary>
    private int? Number(long versionId) => _versions.FirstOrDefault(v => v.Id == versionId)?.Number;

    private string Mask(string text) => _reveal ? text : ConfigMasking.MaskSecrets(text);

    private async Task SelectAsync(long a, long b)
    {
        (_a, _b) = (a, b);
        var (first, second) = (await Store.FindAsync(a, _scope, CancellationToken.None), await Store.FindAsync(b, _scope, CancellationToken.None));
        var before = Mask(first?.Config ?? "");
        var after = Mask(second?.Config ?? "");
        (_unified, _rows, _textB) = (LineDiff.Unified(before, after), SideBySideDiff.Rows(before, after), after);
    }

    private static string RowStyle(SideBySideRow row) => row switch
    {
        { Kind: DiffKind.Added } => "background: rgba(46, 160, 67, 0.15)",
        { Kind: DiffKind.Removed } => "background: rgba(248, 81, 73, 0.15)",
        { Left: not null, Right: not null } when row.Left != row.Right => "background: rgba(210, 153, 34, 0.15)",
        _ => "",
    };

    private async Task PreviewRollbackAsync(ConfigVersionInfo version)
    {
        if (!await Access.AllowsAsync(Policies.AutomationRun, Snackbar))
        {
            return;
        }
        var state = _rollback = new RollbackState(version.Id);
        var user = await Access.UserAsync();
        var launch = await Actions.RollbackAsync(Id, version.Id, preview: true, await Access.ActorAsync(), user.ScopePoolIds(), CancellationToken.None);
        if (!launch.Started)
        {
            Snackbar.Add(string.Join(" ", launch.Problems), Severity.Error);
            _rollback = null;
            return;
        }
        state.RunId = launch.RunId;
        _subscription?.Dispose();
        RunEventScope events;
        await using (var db = await DbFactory.CreateScopedAsync(_scope, CancellationToken.None))
        {
            events = await RunEventScope.ForRunAsync(db, launch.RunId, CancellationToken.None);
        }
        _subscription = Notifier.Feed(launch.RunId, events, _ => InvokeAsync(() => LoadPreviewAsync(state)),
            RunFeedOptions.Frame with { Wants = e => e is RunProgressed { Status: not (RunStatus.Pending or RunStatus.Running) } });
        await LoadPreviewAsync(state);
    }

    private async Task LoadPreviewAsync(RollbackState state)
    {
        await using var db = await DbFactory.CreateScopedAsync(_scope, CancellationToken.None);
        var done = await db.Runs.AnyAsync(r => r.Id == state.RunId && r.Status != RunStatus.Pending && r.Status != RunStatus.Running);
        if (done)
        {
            state.Result = await db.RunResults.AsNoTracking().Where(r => r.RunId == state.RunId).OrderBy(r => r.Id).FirstOrDefaultAsync()
                ?? new RunResult { Error = "The preview run recorded no result." };
            StateHasChanged();
        }
    }

    private async Task ConfirmRollbackAsync()
    {
        if (_rollback is not { } state || !await Access.AllowsAsync(Policies.AutomationRun, Snackbar))
        {
            return;
        }
        if (!await Dialogs.DeleteAsync("Roll back", $"Replace the configuration of {_deviceName} with version {Number(state.VersionId)}?", yes: "Roll back"))
        {
            return;
        }
        var user = await Access.UserAsync();
        var launch = await Actions.RollbackAsync(Id, state.VersionId, preview: false, await Access.ActorAsync(), user.ScopePoolIds(), CancellationToken.None);
        if (launch.Started)
        {
            Navigation.NavigateTo($"runs/{launch.RunId}");
        }
        else
        {
            Snackbar.Add(string.Join(" ", launch.Problems), Severity.Error);
        }
    }

    public void Dispose() => _subscription?.Dispose();
}
