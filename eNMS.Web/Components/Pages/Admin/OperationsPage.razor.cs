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

    [Inject] private LogLevels Levels { get; set; } = default!;
    [Inject] private OperationsActions Actions { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    protected override void OnInitialized() => Load();

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
