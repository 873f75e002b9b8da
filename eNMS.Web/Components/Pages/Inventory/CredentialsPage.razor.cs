using eNMS.Core.Data;
using eNMS.Core.Inventory.Editing;
using eNMS.Core.Security;
using eNMS.Web.Components.Shared;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Inventory;

public sealed partial class CredentialsPage
{
    private List<CredentialView>? _credentials;
    private Dictionary<int, string> _poolNames = [];

    [Inject] private IDbContextFactory<EnmsDbContext> DbFactory { get; set; } = default!;
    [Inject] private InventoryEditor Editor { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        // Only views leave this method: the protected secrets are never kept by the component.
        _credentials = (await db.Credentials.AsNoTracking().Include(c => c.Pools).OrderBy(c => c.Name).ToListAsync())
            .Select(CredentialView.From).ToList();
        _poolNames = await db.Pools.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Name);
    }

    private static string Flag(bool set) => set ? "set ✓" : "—";

    private void Open(TableRowClickEventArgs<CredentialView> args)
    {
        if (args.Item is { } credential)
        {
            Navigation.NavigateTo($"credentials/{credential.Id}/edit");
        }
    }

    private async Task DeleteAsync(CredentialView credential)
    {
        if (!await Access.AllowsAsync(Policies.InventoryWrite, Snackbar))
        {
            return;
        }
        if (await Dialogs.DeleteAsync("Delete credential", $"Delete {credential.Name}? Devices that named it fall back to their pools' credentials."))
        {
            try
            {
                await Editor.DeleteCredentialsAsync([credential.Id], await Access.PoolScopeAsync(), CancellationToken.None);
            }
            catch (OutOfScopeException e)
            {
                Snackbar.Add(e.Message, Severity.Error);
                return;
            }
            Snackbar.Add($"Deleted {credential.Name}.", Severity.Success);
            await LoadAsync();
        }
    }
}
