using eNMS.Core.Automation.Execution;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Web.Components.Shared;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Admin;

/// <summary>Admins see the SSH host keys eNMS trusts and, next to each, a key a device offered and was refused for;
/// they accept exactly that key or forget the address. <see cref="HostKeyStore"/> does both and writes the audit
/// entries, the page only asks.</summary>
public sealed partial class HostKeysPage
{
    private List<KnownHostKey> _keys = [];

    [Inject] private IDbContextFactory<EnmsDbContext> DbFactory { get; set; } = default!;
    [Inject] private HostKeyStore Store { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    /// <summary>"host:port" for "host" (port 22) and "[host]:port" alike.</summary>
    internal static string Address(string key) => key.StartsWith('[') ? key.Replace("[", "", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal) : $"{key}:22";

    private async Task LoadAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        // Refused keys first: they are what an admin comes here for.
        _keys = [.. (await db.KnownHostKeys.AsNoTracking().ToListAsync()).OrderBy(k => k.OfferedFingerprint is null).ThenBy(k => k.Host, StringComparer.Ordinal)];
    }

    private async Task AcceptAsync(string host, string fingerprint)
    {
        if (!await Access.AllowsAsync(Policies.Admin, Snackbar))
        {
            return;
        }
        var outcome = await Store.AcceptOfferedAsync(host, fingerprint, await Access.ActorAsync(), CancellationToken.None);
        Snackbar.Add(outcome switch
        {
            HostKeyAcceptance.Accepted => $"{Address(host)} now trusts {fingerprint} only.",
            HostKeyAcceptance.UnknownHost => $"{Address(host)} has no stored key any more.",
            _ => $"{Address(host)} was refused another key since: check the fingerprint again.",
        }, outcome == HostKeyAcceptance.Accepted ? Severity.Success : Severity.Warning);
        await LoadAsync();
    }

    private async Task ForgetAsync(string host)
    {
        if (!await Access.AllowsAsync(Policies.Admin, Snackbar))
        {
            return;
        }
        var forgotten = await Store.ForgetAsync(host, await Access.ActorAsync(), CancellationToken.None);
        Snackbar.Add(forgotten ? $"Forgot the key of {Address(host)}: the next connection learns the key it sees." : $"{Address(host)} had no stored key.",
            forgotten ? Severity.Success : Severity.Warning);
        await LoadAsync();
    }
}
