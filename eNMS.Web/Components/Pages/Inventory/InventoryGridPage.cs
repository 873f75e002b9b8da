using eNMS.Core.Data;
using eNMS.Core.Inventory.Editing;
using eNMS.Web.Components.Shared;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Inventory;

/// <summary>What the device, link and pool grids share: the services they use, row selection, and deleting one row or
/// the selected rows (through <see cref="GridDeletion"/>, which re-checks the write policy on the server).</summary>
public abstract class InventoryGridPage<TRow> : ComponentBase where TRow : class
{
    private readonly Func<TRow, int> _idOf;
    private readonly Func<TRow, string> _nameOf;
    private readonly DeletionWording _wording;
    private GridDeletion? _deletion;

    protected InventoryGridPage(Func<TRow, int> idOf, Func<TRow, string> nameOf, DeletionWording wording)
    {
        (_idOf, _nameOf, _wording) = (idOf, nameOf, wording);
        ById = new IdComparer<TRow>(idOf);
        Selected = new HashSet<TRow>(ById);
    }

    [Inject] protected IDbContextFactory<EnmsDbContext> DbFactory { get; set; } = default!;
    [Inject] protected InventoryEditor Editor { get; set; } = default!;
    [Inject] protected UserAccess Access { get; set; } = default!;
    [Inject] protected NavigationManager Navigation { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] protected ISnackbar Snackbar { get; set; } = default!;

    /// <summary>Rows are new objects on every load: the table compares them by id.</summary>
    protected IEqualityComparer<TRow> ById { get; }

    protected HashSet<TRow> Selected { get; set; }

    /// <summary>Deletes rows by id and says how many went.</summary>
    protected abstract Task<int> DeleteRowsAsync(IReadOnlyCollection<int> ids, CancellationToken ct);

    /// <summary>Loads the grid's rows again after a change.</summary>
    protected abstract Task ReloadAsync();

    protected async Task DeleteOneAsync(TRow row) => await AfterAsync(await Deletion.DeleteOneAsync(_idOf(row), _nameOf(row)));

    protected async Task DeleteSelectedAsync() => await AfterAsync(await Deletion.DeleteManyAsync([.. Selected.Select(_idOf)]));

    private GridDeletion Deletion => _deletion ??= new(Dialogs, Access, Snackbar, _wording, DeleteRowsAsync);

    private async Task AfterAsync(bool deleted)
    {
        if (deleted)
        {
            Selected = new HashSet<TRow>(ById);
            await ReloadAsync();
        }
    }
}
