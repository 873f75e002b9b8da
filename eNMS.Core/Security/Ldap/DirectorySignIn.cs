using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace eNMS.Core.Security.Ldap;

/// <summary>
/// Sign-in of directory users. The directory decides at each sign-in (and at an API token's recheck): gone locks the
/// shadow account; otherwise <see cref="ShadowAccounts"/> maps its groups to a role and pools (or locks it when none maps).
/// </summary>
public sealed class DirectorySignIn(LdapDirectory directory, IOptionsMonitor<LdapOptions> options, UserManager<EnmsUser> users,
    ShadowAccounts shadows, TimeProvider time)
{
    public const string Source = "ldap";

    public bool Enabled => options.CurrentValue.Enabled;

    /// <summary>Whether <paramref name="user"/> (found by the typed name, or null) is signed in through the directory rather
    /// than by its local password: a local account with a password always signs in locally (the break-glass path).</summary>
    public bool Handles(EnmsUser? user) => Enabled && (user is null || user.DirectorySource == Source);

    /// <summary>Signs in through the directory; a refusal carries its reason for the audit log (<see cref="DirectorySignInResult.Reason"/>:
    /// invalid name, empty or wrong password, unknown user, a name another source holds), never for the client.</summary>
    public async Task<DirectorySignInResult> SignInAsync(AuditActor? caller, string userName, string password, CancellationToken ct)
    {
        if (userName.Length is 0 or > AccountAudit.MaxNameLength || userName.Any(char.IsControl))
        {
            return Refused(DirectoryRefusal.Invalid, "invalid user name");
        }
        var lookup = await directory.AuthenticateAsync(userName, password, ct);
        var shadow = await users.FindByNameAsync(userName);
        // A local account, or the shadow of another source (an OpenID Connect user): never taken over by the directory.
        if (shadow is not null && shadow.DirectorySource != Source)
        {
            return Refused(DirectoryRefusal.Invalid, shadow.DirectorySource is null ? "name held by a local account" : "name held by an oidc account");
        }
        return lookup.Answer switch
        {
            DirectoryAnswer.Unavailable => Refused(DirectoryRefusal.Unavailable, ""),
            DirectoryAnswer.WrongPassword => Refused(DirectoryRefusal.Invalid, password.Length == 0 ? "empty password" : "wrong password"),
            // Gone from the directory: a shadow account left behind must not keep its tokens.
            DirectoryAnswer.UnknownUser => (await LockAsync(caller, shadow, "no longer in the directory", DirectoryRefusal.Invalid, ct)) with
            {
                Reason = shadow is null ? "unknown user" : "unknown user: no longer in the directory",
            },
            _ => await ApplyAsync(caller, userName, shadow, lookup.Account!, ct),
        };
    }

    private static DirectorySignInResult Refused(DirectoryRefusal refusal, string reason) => new(refusal) { Reason = reason };

    /// <summary>Whether a directory user's API token may be used: asks the directory again when the last check is older
    /// than <see cref="LdapOptions.RecheckMinutes"/>. While the directory is unreachable the last answer stands.</summary>
    public async Task<bool> IsStillActiveAsync(EnmsUser user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var settings = options.CurrentValue;
        if (user.DirectorySource != Source || !settings.Enabled || settings.RecheckMinutes == 0
            || user.DirectoryCheckedAt is { } checkedAt && time.GetUtcNow() - checkedAt < TimeSpan.FromMinutes(settings.RecheckMinutes))
        {
            return !user.IsDisabled;
        }
        var lookup = await directory.LookupAsync(user.UserName ?? "", ct);
        var actor = new AuditActor(user.UserName ?? "?", null);
        var result = lookup.Answer switch
        {
            DirectoryAnswer.Found => await ApplyAsync(actor, user.UserName!, user, lookup.Account!, ct),
            DirectoryAnswer.UnknownUser => await LockAsync(actor, user, "no longer in the directory", DirectoryRefusal.Invalid, ct),
            _ => null,
        };
        return result is null ? !user.IsDisabled : result.Succeeded;
    }

    private Task<DirectorySignInResult> ApplyAsync(AuditActor? caller, string userName, EnmsUser? shadow, DirectoryAccount account,
        CancellationToken ct)
    {
        var settings = options.CurrentValue;
        return shadows.ApplyAsync(caller, Source, userName, shadow, account.Groups, new GroupMappings(settings.RoleMappings, settings.PoolMappings) { UserGroups = settings.UserGroupMappings }, ct);
    }

    private Task<DirectorySignInResult> LockAsync(AuditActor? caller, EnmsUser? shadow, string why, DirectoryRefusal refusal, CancellationToken ct) =>
        shadows.LockAsync(caller, shadow, why, refusal, ct);
}
