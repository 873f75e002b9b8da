using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace eNMS.Core.Security.Oidc;

/// <summary>
/// Sign-in of a user the OpenID Connect provider has vouched for (an id token the web layer validated): their shadow
/// account (source "oidc", no password) is created at the first sign-in, and its role and pools come from the groups
/// claim at each one (<see cref="ShadowAccounts"/>). A name held by a local account or another source's shadow is
/// refused: the provider must never take over the break-glass admin.
/// </summary>
public sealed class OidcSignIn(IOptionsMonitor<OidcOptions> options, UserManager<EnmsUser> users, ShadowAccounts shadows)
{
    public const string Source = "oidc";

    /// <summary>The account name the id token gives, or null when the claim is missing or unusable as a name.</summary>
    public string? UserNameOf(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var name = principal.FindFirst(options.CurrentValue.UserNameClaim)?.Value;
        return name is null || name.Length is 0 or > AccountAudit.MaxNameLength || name.Any(char.IsControl) ? null : name;
    }

    public async Task<DirectorySignInResult> SignInAsync(AuditActor? caller, ClaimsPrincipal principal, CancellationToken ct)
    {
        if (UserNameOf(principal) is not { } userName)
        {
            return new DirectorySignInResult(DirectoryRefusal.Invalid) { Reason = "no usable user name claim" };
        }
        var shadow = await users.FindByNameAsync(userName);
        if (shadow is not null && shadow.DirectorySource != Source)
        {
            return new DirectorySignInResult(DirectoryRefusal.Invalid) { Reason = shadow.DirectorySource is null ? "name held by a local account" : "name held by an ldap account" };
        }
        var settings = options.CurrentValue;
        var groups = principal.FindAll(settings.GroupsClaim).Select(c => c.Value);
        return await shadows.ApplyAsync(caller, Source, userName, shadow, groups, settings.Mappings, ct);
    }
}
