using System.Globalization;
using System.Security.Claims;
using eNMS.Core.Data;
using eNMS.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace eNMS.Web.Security;

/// <summary>Identity's principal (name, security stamp) with the role, pools and groups of <see cref="EffectiveAccess"/>
/// (one claim per pool the user is limited to, one per group), and one claim while the password must be changed
/// (<see cref="ForcedPasswordChange"/>).</summary>
internal sealed class EnmsClaimsPrincipalFactory(UserManager<EnmsUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options,
    IDbContextFactory<EnmsDbContext> dbFactory)
    : UserClaimsPrincipalFactory<EnmsUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(EnmsUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = await base.GenerateClaimsAsync(user);
        // The role and pools the user's groups add (EffectiveAccess), in place of the account's own: one role claim, the
        // most privileged, so that a policy never sees a role the groups' rule did not give.
        var roleClaims = identity.FindAll(identity.RoleClaimType).ToList();
        await using var db = await dbFactory.CreateDbContextAsync();
        var access = await EffectiveAccess.OfAsync(db, user.UserName ?? "", roleClaims.Select(c => c.Value).FirstOrDefault(), user.ScopePoolIds,
            CancellationToken.None);
        roleClaims.ForEach(identity.RemoveClaim);
        if (access.Role is not null)
        {
            identity.AddClaim(new Claim(identity.RoleClaimType, access.Role));
        }
        foreach (var poolId in access.ScopePoolIds ?? [])
        {
            identity.AddClaim(new Claim(EnmsClaims.ScopePool, poolId.ToString(CultureInfo.InvariantCulture)));
        }
        foreach (var group in access.Groups)
        {
            identity.AddClaim(new Claim(EnmsClaims.Group, group));
        }
        if (user.MustChangePassword)
        {
            identity.AddClaim(new Claim(EnmsClaims.MustChangePassword, "true"));
        }
        return identity;
    }
}

public static class PrincipalExtensions
{
    /// <summary>The pools the user is limited to, or null when the user may see every device.</summary>
    public static IReadOnlyList<int>? ScopePoolIds(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var ids = user.FindAll(EnmsClaims.ScopePool).Select(c => int.TryParse(c.Value, CultureInfo.InvariantCulture, out var id) ? id : -1).ToList();
        return ids.Count == 0 ? null : ids;
    }

    /// <summary>A context that reads only what this user may see (see <see cref="EnmsDbContext.ScopePoolIds"/>): what
    /// every endpoint reads through.</summary>
    public static Task<EnmsDbContext> CreateScopedAsync(this IDbContextFactory<EnmsDbContext> dbFactory, ClaimsPrincipal user, CancellationToken ct) =>
        dbFactory.CreateScopedAsync(user.ScopePoolIds(), ct);

    public static string AuditName(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.IsAuthenticated == true ? user.Identity.Name ?? "?" : "anonymous";
    }

    /// <summary>Who makes this request, as Core's use cases record it in the audit log and check it against access lists.</summary>
    public static AuditActor AuditActor(this HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.User.ActorOf(http.Connection.RemoteIpAddress?.ToString());
    }

    /// <summary>The user as Core sees an actor: name, whether an admin (admin-only kinds), groups (access lists).</summary>
    public static AuditActor ActorOf(this ClaimsPrincipal user, string? ip)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new AuditActor(user.AuditName(), ip)
        {
            IsAdmin = user.IsInRole(Roles.Admin),
            Groups = [.. user.FindAll(EnmsClaims.Group).Select(c => c.Value)],
        };
    }
}
