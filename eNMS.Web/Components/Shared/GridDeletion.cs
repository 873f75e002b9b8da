using eNMS.Core.Security;
using eNMS.Web.Security;
using MudBlazor;

namespace eNMS.Web.Components.Shared;

/// <summary>How an inventory grid deletes one row or the selected rows: what it asks before (per kind).</summary>
public sealed record DeletionWording(string Singular, string Plural, Func<string, string> AskOne, Func<int, string> AskMany);

/// <summary>
/// The delete flow the inventory grids share (devices, links, pools): ask, check <c>inventory.write</c> again on the
/// server, delete, say how many went. True when something was deleted, so the page clears its selection and reloads.
/// </summary>
public sealed class GridDeletion(IDialogService dialogs, UserAccess access, ISnackbar snackbar, DeletionWording wording,
    Func<IReadOnlyCollection<int>, CancellationToken, Task<int>> delete)
{
    public async Task<bool> DeleteOneAsync(int id, string name) =>
        await dialogs.DeleteAsync($"Delete {wording.Singular}", wording.AskOne(name)) && await DeleteAsync([id]);

    public async Task<bool> DeleteManyAsync(IReadOnlyCollection<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return ids.Count > 0 && await dialogs.DeleteAsync($"Delete {wording.Plural}", wording.AskMany(ids.Count)) && await DeleteAsync(ids);
    }

    private async Task<bool> DeleteAsync(IReadOnlyCollection<int> ids)
    {
        if (!await access.AllowsAsync(Policies.InventoryWrite, snackbar))
        {
            return false;
        }
        int deleted;
        try
        {
            deleted = await delete(ids, CancellationToken.None);
        }
        catch (OutOfScopeException e)
        {
            snackbar.Add(e.Message, Severity.Error);
            return false;
        }
        snackbar.Add($"Deleted {deleted} {(deleted == 1 ? wording.Singular : wording.Plural)}.", Severity.Success);
        return true;
    }
}
