using System.Globalization;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Scheduling;
using eNMS.Core.Security;
using eNMS.Web.Components.Shared;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Admin;

/// <summary>Admins set change freezes (one-off or recurring, per pool, refuse or defer). <see cref="ChangeFreezes"/>
/// validates and saves them (the audit interceptor records each change); the page only asks and shows.</summary>
public sealed partial class FreezesPage
{
    private List<FreezeView> _freezes = [];
    private List<Pool> _pools = [];
    private FreezeInput _input = new();
    private bool _recurring;
    private IReadOnlyDictionary<string, string> _errors = new Dictionary<string, string>();

    [Inject] private ChangeFreezes Freezes { get; set; } = default!;
    [Inject] private IDbContextFactory<EnmsDbContext> DbFactory { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        _pools = await db.Pools.AsNoTracking().OrderBy(p => p.Name).ToListAsync();
        await LoadAsync();
    }

    private async Task LoadAsync() => _freezes = await Freezes.ListAsync(CancellationToken.None);

    private string PoolName(int id) => _pools.FirstOrDefault(p => p.Id == id)?.Name ?? $"pool #{id}";

    private bool Has(string field) => _errors.ContainsKey(field);

    private string Text(string field) => _errors.TryGetValue(field, out var text) ? text : "";

    private static string? Local(DateTime? value) => value?.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    private static DateTime? Parse(string? text) => DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) ? parsed : null;

    private void New() => (_input, _recurring, _errors) = (new FreezeInput(), false, new Dictionary<string, string>());

    private void Edit(ChangeFreeze freeze) => (_input, _recurring, _errors) = (FreezeInput.From(freeze), freeze.Recurring, new Dictionary<string, string>());

    private async Task SaveAsync()
    {
        if (!await Access.AllowsAsync(Policies.Admin, Snackbar))
        {
            return;
        }
        if (!_recurring)
        {
            _input.Cron = "";
        }
        var saved = await Freezes.SaveAsync(_input, PrincipalExtensions.AuditName(await Access.UserAsync()), CancellationToken.None);
        _errors = saved.Errors;
        if (saved.Succeeded)
        {
            Snackbar.Add($"Saved the change freeze {_input.Name.Trim()}.", Severity.Success);
            New();
            await LoadAsync();
        }
    }

    private async Task DeleteAsync(ChangeFreeze freeze)
    {
        if (!await Access.AllowsAsync(Policies.Admin, Snackbar)
            || !await Dialogs.DeleteAsync("Delete change freeze", $"Delete {freeze.Name}? Runs it deferred start as soon as no other freeze holds them."))
        {
            return;
        }
        if (!await Freezes.DeleteAsync(freeze.Id, CancellationToken.None))
        {
            Snackbar.Add($"{freeze.Name} no longer exists.", Severity.Warning);
        }
        await LoadAsync();
    }
}
