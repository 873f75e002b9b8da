using eNMS.Core.Data;
using eNMS.Core.Inventory.Editing;
using eNMS.Core.Security;
using eNMS.Web.Components.Shared;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages;

/// <summary>Edits a credential. The component only ever holds a <see cref="CredentialView"/> (flags, never secrets)
/// and the plaintext the user types, which goes straight to the editor to be encrypted.</summary>
public sealed partial class CredentialEditPage
{
    private static readonly string[] Shown = ["name", "username", "password"];

    private readonly FormErrors _errors = new();
    private CredentialInput _input = new();
    private CredentialView? _current;
    private Dictionary<int, string> _pools = [];
    private IReadOnlyCollection<int> _poolIds = [];
    private List<BreadcrumbItem> _crumbs = [];
    private string _originalName = "";
    private bool _notFound;
    private bool _saving;

    [Parameter] public int? Id { get; set; }

    [Inject] private IDbContextFactory<EnmsDbContext> DbFactory { get; set; } = default!;
    [Inject] private InventoryEditor Editor { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        _pools = await db.Pools.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Name);
        _crumbs = [new("Credentials", "credentials")];
        if (Id is int id)
        {
            var credential = await db.Credentials.AsNoTracking().Include(c => c.Pools).FirstOrDefaultAsync(c => c.Id == id);
            _current = credential is null ? null : CredentialView.From(credential);
            _notFound = _current is null;
            if (_current is { } view)
            {
                _originalName = view.Name;
                _input = new CredentialInput { Id = view.Id, Name = view.Name, Description = view.Description, Username = view.Username, Priority = view.Priority };
                _poolIds = view.PoolIds.ToList();
                _crumbs.Add(new(view.Name, null, disabled: true));
            }
        }
        _crumbs.Add(new(Id is null ? "New" : "Edit", null, disabled: true));
    }

    private static string? Placeholder(bool? set) => set == true ? "set ✓ — leave empty to keep" : null;

    private async Task SaveAsync()
    {
        if (!await Access.AllowsAsync(Policies.InventoryWrite, Snackbar))
        {
            return;
        }
        _saving = true;
        try
        {
            _input.PoolIds = _poolIds.ToList();
            var result = await Editor.SaveCredentialAsync(_input, CancellationToken.None);
            _errors.Set(result);
            if (result.Succeeded)
            {
                (_input.Password, _input.PrivateKey, _input.Passphrase, _input.EnableSecret) = (null, null, null, null);
                Snackbar.Add($"Saved {_input.Name.Trim()}.", Severity.Success);
                Navigation.NavigateTo("credentials");
            }
        }
        finally
        {
            _saving = false;
        }
    }
}
