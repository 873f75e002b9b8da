using eNMS.Core.Security;
using eNMS.Core.Settings;
using eNMS.Web.Components.Shared;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Admin;

/// <summary>Admins change the runtime settings; <see cref="RuntimeSettings"/> validates, stores, audits and applies
/// them (the same as the admin API). The page sends only the settings whose field changed.</summary>
public sealed partial class SettingsPage
{
    private IReadOnlyList<SettingView> _settings = [];
    private readonly Dictionary<string, string> _edits = [];
    private readonly Dictionary<string, string> _secrets = [];
    private readonly HashSet<string> _cleared = [];
    private Dictionary<string, string> _errors = [];
    private bool _saving;

    [Inject] private RuntimeSettings Settings { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _settings = await Settings.ListAsync(CancellationToken.None);
        _edits.Clear();
        _secrets.Clear();
        _cleared.Clear();
        _errors = [];
        foreach (var s in _settings)
        {
            _edits[s.Key] = Original(s);
            _secrets[s.Key] = "";
        }
    }

    private static string Original(SettingView s) => s.Kind == SettingKind.Boolean ? (s.Value?.Equals("true", StringComparison.OrdinalIgnoreCase) == true ? "true" : "false") : s.Value ?? "";

    private void ToggleClear(string key, bool clear)
    {
        if (clear)
        {
            _cleared.Add(key);
        }
        else
        {
            _cleared.Remove(key);
        }
    }

    /// <summary>The changed fields: a new value, or null (an emptied field, a cleared secret) for the default.</summary>
    private Dictionary<string, string?> Changes()
    {
        var changes = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in _settings.Where(s => s.LockedBy is null))
        {
            if (s.Kind == SettingKind.Secret)
            {
                if (_cleared.Contains(s.Key))
                {
                    changes[s.Key] = null;
                }
                else if (_secrets[s.Key].Length > 0)
                {
                    changes[s.Key] = _secrets[s.Key];
                }
            }
            else if (_edits[s.Key].Trim() != Original(s).Trim())
            {
                changes[s.Key] = _edits[s.Key].Trim().Length == 0 ? null : _edits[s.Key];
            }
        }
        return changes;
    }

    private async Task SaveAsync()
    {
        if (!await Access.AllowsAsync(Policies.Admin, Snackbar))
        {
            return;
        }
        var changes = Changes();
        if (changes.Count == 0)
        {
            Snackbar.Add("Nothing changed.", Severity.Info);
            return;
        }
        _saving = true;
        try
        {
            var result = await Settings.UpdateAsync(await Access.ActorAsync(), changes, CancellationToken.None);
            if (!result.Succeeded)
            {
                _errors = result.Errors.ToDictionary(e => e.Key, e => string.Join(" ", e.Value), StringComparer.OrdinalIgnoreCase);
                Snackbar.Add($"Nothing saved: {string.Join(" ", _errors.Values)}", Severity.Error);
                return;
            }
            await LoadAsync();
            Snackbar.Add($"{result.Changed} setting(s) saved and applied.", Severity.Success);
        }
        finally
        {
            _saving = false;
        }
    }
}
