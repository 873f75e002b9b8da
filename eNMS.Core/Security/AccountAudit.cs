using Microsoft.AspNetCore.Identity;

namespace eNMS.Core.Security;

/// <summary>
/// An account's own actions, each recorded in the audit log here: sign-in (and why one was refused), sign-out,
/// sign-out everywhere, password change. The web layer does only what needs the HTTP request (the cookie, the
/// server-side revocation of this browser's session) and writes no entry itself.
/// </summary>
/// <remarks>The entries' user is the account acting; the caller's address comes from <c>caller</c>.</remarks>
public sealed class AccountAudit(UserManager<EnmsUser> users, AuditLog audit)
{
    /// <summary>Longest user name kept in an entry: a name typed at sign-in can be anything.</summary>
    public const int MaxNameLength = 256;

    /// <summary>Records how a sign-in under <paramref name="userName"/> (as typed) with the local password went: "sign-in", or
    /// "sign-in refused (locked out)", "sign-in failed (unknown user)", "sign-in failed (wrong password)" (only the audit,
    /// read by admins, tells why; the client gets one answer); the source is "local".</summary>
    /// <remarks>accountExists: whether <paramref name="userName"/> names an account.</remarks>
    public Task SignInAsync(AuditActor? caller, string? userName, SignInResult result, bool accountExists, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(result);
        var action = result.Succeeded ? "sign-in"
            : result.IsLockedOut ? "sign-in refused (locked out)"
            : !accountExists ? "sign-in failed (unknown user)"
            : result.IsNotAllowed ? "sign-in failed (not allowed)"
            : "sign-in failed (wrong password)";
        return SignInEntryAsync(caller, userName, action, "local", ct);
    }

    /// <summary>Records an API token's use: "sign-in" (its first use after an idle spell, <see cref="ApiTokens"/>) or
    /// "sign-in failed (<paramref name="problem"/>)" — unknown, expired or revoked token, account locked… — under the
    /// token's owner when known. The token is named by its id and name, never by its secret; the source is "token".</summary>
    public Task TokenSignInAsync(AuditActor? caller, string? userName, string? problem, string? label, CancellationToken ct) =>
        SignInEntryAsync(caller, userName, problem is null ? "sign-in" : $"sign-in failed ({problem})", "token" + (label is null ? "" : $", {label}"), ct);

    /// <summary>Records how a sign-in through an identity source went, as <see cref="SignInAsync"/> does, with the reason the
    /// source gave (<see cref="DirectorySignInResult.Reason"/>: "sign-in failed (unknown user)", "... (wrong password)",
    /// "... (directory unavailable)", "sign-in refused (no mapped group)"); the source is "ldap" or "oidc".</summary>
    public Task DirectorySignInAsync(AuditActor? caller, string? userName, DirectorySignInResult outcome, string source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var unavailable = source == Ldap.DirectorySignIn.Source ? "directory unavailable" : "provider unavailable";
        return SignInEntryAsync(caller, userName, outcome.Refusal switch
        {
            DirectoryRefusal.None => "sign-in",
            DirectoryRefusal.NoMappedGroup => "sign-in refused (no mapped group)",
            DirectoryRefusal.Locked => "sign-in refused (locked out)",
            DirectoryRefusal.Unavailable => $"sign-in failed ({(outcome.Reason.Length > 0 ? $"{unavailable}: {outcome.Reason}" : unavailable)})",
            _ => outcome.Reason.Length > 0 ? $"sign-in failed ({outcome.Reason})" : "sign-in failed",
        }, source, ct);
    }

    /// <summary>Records a single sign-on the provider's answer did not complete (bad state, no code, an error answer):
    /// <paramref name="reason"/> is a fixed phrase chosen by the caller, never the provider's text or a token.</summary>
    public Task SingleSignOnFailedAsync(AuditActor? caller, string reason, CancellationToken ct) =>
        SignInEntryAsync(caller, "", $"sign-in failed ({reason})", Oidc.OidcSignIn.Source, ct);

    private Task SignInEntryAsync(AuditActor? caller, string? userName, string action, string source, CancellationToken ct)
    {
        var name = userName is { Length: > MaxNameLength } ? userName[..MaxNameLength] : userName ?? "";
        return WriteAsync(caller, name, action, ct, $"source: {source}");
    }

    /// <summary>Records that <paramref name="userName"/> signed out of this browser.</summary>
    public Task SignOutAsync(AuditActor? caller, string userName, CancellationToken ct) =>
        WriteAsync(caller, userName, "sign-out", ct);

    /// <summary>Ends every session of the account: a new security stamp invalidates each of its cookies and circuits
    /// at their next check. Recorded as "sign-out everywhere" (also when the account no longer exists).</summary>
    public async Task SignOutEverywhereAsync(AuditActor? caller, EnmsUser? user, string userName, CancellationToken ct)
    {
        if (user is not null)
        {
            await users.UpdateSecurityStampAsync(user);
        }
        await WriteAsync(caller, userName, "sign-out everywhere", ct);
    }

    /// <summary>The account changes its own password (Identity renews the security stamp, which ends its other
    /// sessions), which lifts a forced change. The new one must differ from the current one. Recorded as "password
    /// change" or "password change refused".</summary>
    public async Task<IdentityResult> ChangePasswordAsync(AuditActor? caller, EnmsUser user, string currentPassword, string newPassword,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var mustChange = user.MustChangePassword;
        // Saved with the new hash, in the same update.
        user.MustChangePassword = false;
        var result = currentPassword == newPassword
            ? IdentityResult.Failed(new IdentityError { Code = "PasswordUnchanged", Description = "The new password must differ from the current one." })
            : await users.ChangePasswordAsync(user, currentPassword, newPassword);
        if (!result.Succeeded)
        {
            user.MustChangePassword = mustChange;
        }
        await WriteAsync(caller, user.UserName ?? "", result.Succeeded ? "password change" : "password change refused", ct);
        return result;
    }

    /// <summary>The account is both who acts and the target, from the caller's address.</summary>
    private Task WriteAsync(AuditActor? caller, string userName, string action, CancellationToken ct, string? details = null) =>
        audit.WriteAsync(new AuditActor(userName, caller?.Ip), action, "user", null, userName, details, ct);
}
