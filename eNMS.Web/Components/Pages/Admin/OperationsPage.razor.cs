using eNMS.Core.Automation;
using eNMS.Core.Security;
using eNMS.Web.Components.Shared;
using eNMS.Web.Operations;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Admin;

/// <summary>Admins change log levels on this node and take backups; <see cref="OperationsActions"/> does both and audits
/// them (the same as the admin API), the page only asks.</summary>
public sealed partial class OperationsPage
{
    private IReadOnlyList<LogLevelSetting> _levels = [];
    private IReadOnlyList<BackupFile> _backups = [];
    private bool _backingUp;
    private RetentionStatus? _retention;
    private bool _purging;

    [Inject] private LogLevels Levels { get; set; } = default!;
    [Inject] private OperationsActions Actions { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Inject] private RunRetention Retention { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        Load();
        await LoadRetentionAsync();
    }

    private async Task LoadRetentionAsync() =>
        _retention = RetentionStatus.From(Retention.Policy, await Retention.PreviewAsync(CancellationToken.None));

    private static string Describe(RetentionStatus retention)
    {
        var policy = !retention.Enabled ? "Runs are kept forever (no retention set)."
            : $"Keeping runs {(retention.RunDays > 0 ? $"for {retention.RunDays} days" : "whatever their age")}"
              + (retention.RunsPerService > 0 ? $", at most {retention.RunsPerService} per service." : ".");
        return $"{policy} Expired now: {retention.Expired.Runs} runs ({retention.Expired.Results} results, {retention.Expired.Logs} log lines).";
    }

    private async Task PurgeAsync()
    {
        if (!await Access.AllowsAsync(Policies.Admin, Snackbar) || _retention is null
            || !await Dialogs.DeleteAsync("Purge expired runs", $"Delete {_retention.Expired.Runs} finished runs with their results and logs? This cannot be undone.", "Purge"))
        {
            return;
        }
        _purging = true;
        try
        {
            var report = await Retention.PurgeAsync(await Access.ActorAsync(), CancellationToken.None);
            Snackbar.Add($"Purged {report.Runs} runs ({report.Results} results, {report.Logs} log lines).", Severity.Success);
        }
        finally
        {
            _purging = false;
        }
        await LoadRetentionAsync();
    }

    private void Load()
    {
        _levels = Levels.Current;
        _backups = Actions.Backups();
    }

    private async Task SetLevelAsync(string category, string level)
    {
        if (!await Access.AllowsAsync(Policies.Admin, Snackbar))
        {
            return;
        }
        var error = await Actions.SetLogLevelAsync(await Access.ActorAsync(), category, level, CancellationToken.None);
        Snackbar.Add(error ?? $"{category} logs at {level} and above on this node.", error is null ? Severity.Success : Severity.Error);
        Load();
    }

    private async Task BackupAsync()
    {
        if (!await Access.AllowsAsync(Policies.Admin, Snackbar))
        {
            return;
        }
        _backingUp = true;
        try
        {
            var backup = await Actions.BackupAsync(await Access.ActorAsync(), CancellationToken.None);
            Snackbar.Add($"Wrote {backup.Name}.", Severity.Success);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            Snackbar.Add($"The backup failed: {e.Message}", Severity.Error);
        }
        finally
        {
            _backingUp = false;
            Load();
        }
    }
}
