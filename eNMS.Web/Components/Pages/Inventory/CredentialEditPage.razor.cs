using eNMS.Core.Inventory.Editing;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Inventory;

/// <summary>Edits a credential. The component only ever holds a <see cref="CredentialView"/> (flags, never secrets)
/// and the plaintext the user types, which goes straight to the editor to be encrypted.</summary>
public sealed partial class CredentialEditPage : InventoryEditPage
{
    private static readonly string[] Shown = ["name", "username", "password", "useAccess"];

    private CredentialInput _input = new();
    private CredentialView? _current;
    private Dictionary<int, string> _pools = [];
    private IReadOnlyCollection<int> _poolIds = [];
    private string _useAccess = "";
    private bool _isAdmin;

    protected override async Task OnParametersSetAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        _pools = await db.Pools.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Name);
        _isAdmin = (await Access.ActorAsync()).IsAdmin;
        BreadcrumbItem? crumb = null;
        if (Id is int id)
        {
            var credential = await db.Credentials.AsNoTracking().Include(c => c.Pools).FirstOrDefaultAsync(c => c.Id == id);
            _current = credential is null ? null : CredentialView.From(credential);
            NotFound = _current is null;
            if (_current is { } view)
            {
                OriginalName = view.Name;
                _input = new CredentialInput { Id = view.Id, Name = view.Name, Description = view.Description, Username = view.Username, Priority = view.Priority, Access = view.Access };
                _poolIds = view.PoolIds.ToList();
                _useAccess = string.Join(", ", view.UseAccess);
                crumb = new(view.Name, null, disabled: true);
            }
        }
        SetCrumbs("Credentials", "credentials", crumb);
    }

    private static string? Placeholder(bool? set) => set == true ? "set ✓ — leave empty to keep" : null;

    private Task SaveAsync()
    {
        _input.PoolIds = _poolIds.ToList();
        // Sent only by an admin: anyone else keeps the list as it is (null).
        _input.UseAccess = _isAdmin ? [.. _useAccess.Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] : null;
        return SaveAsync(_input.Name, async ct => await Editor.SaveCredentialAsync(_input, await Access.PoolScopeAsync(), ct), _ =>
        {
            (_input.Password, _input.PrivateKey, _input.Passphrase, _input.EnableSecret) = (null, null, null, null);
            Navigation.NavigateTo("credentials");
            return Task.CompletedTask;
        });
    }
}
