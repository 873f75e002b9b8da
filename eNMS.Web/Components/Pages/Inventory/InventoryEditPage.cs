using eNMS.Core.Data;
using eNMS.Core.Inventory.Editing;
using eNMS.Core.Security;
using eNMS.Web.Components.Shared;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Inventory;

/// <summary>What the device, link, pool and credential edit pages share: the form's state, the services they
/// use, and a save that re-checks the write policy on the server before it touches anything.</summary>
public abstract class InventoryEditPage : ComponentBase
{
    [Parameter] public int? Id { get; set; }

    [Inject] protected IDbContextFactory<EnmsDbContext> DbFactory { get; set; } = default!;
    [Inject] protected InventoryEditor Editor { get; set; } = default!;
    [Inject] protected ISnackbar Snackbar { get; set; } = default!;
    [Inject] protected UserAccess Access { get; set; } = default!;
    [Inject] protected NavigationManager Navigation { get; set; } = default!;

    protected FormErrors Errors { get; } = new();
    protected List<BreadcrumbItem> Crumbs { get; set; } = [];
    /// <summary>The name as stored, so the heading does not follow the text box while the user types.</summary>
    protected string OriginalName { get; set; } = "";
    protected bool NotFound { get; set; }
    protected bool Saving { get; private set; }

    /// <summary>Crumbs for an entity list page, then the entity (if loaded) and "New"/"Edit".</summary>
    protected void SetCrumbs(string listTitle, string listHref, BreadcrumbItem? entity = null)
    {
        Crumbs = [new(listTitle, listHref)];
        if (entity is not null)
        {
            Crumbs.Add(entity);
        }
        Crumbs.Add(new(Id is null ? "New" : "Edit", null, disabled: true));
    }

    /// <summary>Runs <paramref name="save"/>, shows its field errors, and on success says so and calls
    /// <paramref name="saved"/> (typically navigation).</summary>
    protected async Task SaveAsync(string name, Func<CancellationToken, Task<EditResult>> save, Func<EditResult, Task> saved)
    {
        ArgumentNullException.ThrowIfNull(save);
        ArgumentNullException.ThrowIfNull(saved);
        if (!await Access.AllowsAsync(Policies.InventoryWrite, Snackbar))
        {
            return;
        }
        Saving = true;
        try
        {
            EditResult result;
            try
            {
                result = await save(CancellationToken.None);
            }
            catch (OutOfScopeException e)
            {
                Snackbar.Add(e.Message, Severity.Error);
                return;
            }
            Errors.Set(result);
            if (result.Succeeded)
            {
                Snackbar.Add($"Saved {name.Trim()}.", Severity.Success);
                await saved(result);
            }
        }
        finally
        {
            Saving = false;
        }
    }
}
