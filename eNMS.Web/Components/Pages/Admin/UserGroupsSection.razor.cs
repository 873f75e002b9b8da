using eNMS.Core.Security;
using eNMS.Web.Components.Shared;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Admin;

/// <summary>The Users page's groups: create, role, pools, members, delete, through <see cref="GroupAdministration"/> as
/// <c>/api/groups</c> does (each change audited once and picked up by the members' sessions).</summary>
public sealed partial class UserGroupsSection
{
    private IReadOnlyList<GroupView> _groups = [];
    private readonly Dictionary<int, string> _memberToAdd = [];
    private string _newName = "";
    private string _newRole = "";

    [Parameter] public IReadOnlyList<(int Id, string Name)> Pools { get; set; } = [];

    [Inject] private GroupAdministration Groups { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _groups = await Groups.ListAsync(CancellationToken.None);
    }

    private string PoolName(int id) => Pools.FirstOrDefault(p => p.Id == id).Name ?? $"#{id}";

    /// <summary>Runs one change as the circuit's admin (checked here too: hiding the page is not enough), reports it.</summary>
    private async Task<bool> ChangeAsync(Func<Task<GroupOutcome>> change, string done)
    {
        if (!await Access.AllowsAsync(Policies.Admin, Snackbar))
        {
            return false;
        }
        var outcome = await change();
        Snackbar.Add(outcome.Succeeded ? done : string.Join(" ", outcome.Errors.Values), outcome.Succeeded ? Severity.Success : Severity.Error);
        _groups = await Groups.ListAsync(CancellationToken.None);
        return outcome.Succeeded;
    }

    private async Task CreateAsync()
    {
        var name = _newName.Trim();
        if (await ChangeAsync(() => Groups.CreateAsync(new GroupInput(name, Role: _newRole), CancellationToken.None), $"Created group {name}."))
        {
            _newName = "";
        }
    }

    private Task<bool> UpdateAsync(GroupView group, GroupInput change) =>
        ChangeAsync(() => Groups.UpdateAsync(group.Id, change, CancellationToken.None), $"Group {group.Name} saved.");

    private async Task AddMemberAsync(GroupView group)
    {
        var name = _memberToAdd.GetValueOrDefault(group.Id)?.Trim() ?? "";
        if (name.Length > 0 && await ChangeAsync(() => Groups.AddMembersAsync(group.Id, [name], CancellationToken.None), $"{name} added to {group.Name}."))
        {
            _memberToAdd.Remove(group.Id);
        }
    }

    private Task<bool> RemoveMemberAsync(GroupView group, string member) =>
        ChangeAsync(() => Groups.RemoveMembersAsync(group.Id, [member], CancellationToken.None), $"{member} removed from {group.Name}.");

    private async Task DeleteAsync(GroupView group)
    {
        if (await Dialogs.DeleteAsync($"Delete group {group.Name}?", "Its members keep their own role and pools only; access lists naming it grant nothing more."))
        {
            await ChangeAsync(() => Groups.DeleteAsync(group.Id, CancellationToken.None), $"Deleted group {group.Name}.");
        }
    }
}
