using System.Security.Claims;
using eNMS.Core.Data;
using eNMS.Core.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Web.Security;

/// <summary>For components: the circuit's user, and whether a policy allows an action. Event handlers that change or
/// run something ask <see cref="CanAsync"/> before doing it; hiding a button is not enough.</summary>
public sealed class UserAccess(AuthenticationStateProvider states, IAuthorizationService authorization, IDbContextFactory<EnmsDbContext> dbFactory)
{
    public async Task<ClaimsPrincipal> UserAsync() => (await states.GetAuthenticationStateAsync()).User;

    public async Task<bool> CanAsync(string policy) => (await authorization.AuthorizeAsync(await UserAsync(), policy)).Succeeded;

    public async Task<IReadOnlyList<int>?> PoolScopeAsync() => (await UserAsync()).ScopePoolIds();

    /// <summary>A context that reads only what the circuit's user may see (see <see cref="EnmsDbContext.ScopePoolIds"/>):
    /// what every page and dialog reads through.</summary>
    public async Task<EnmsDbContext> CreateScopedDbContextAsync(CancellationToken ct = default) => await dbFactory.CreateScopedAsync(await PoolScopeAsync(), ct);

    /// <summary>Who acts in this circuit, as Core's use cases record it in the audit log (the address is the one the
    /// circuit was opened from, which <see cref="AuditActorCircuitHandler"/> keeps for each event).</summary>
    public async Task<AuditActor> ActorAsync() => (await UserAsync()).ActorOf(AuditActor.Current?.Ip);
}
