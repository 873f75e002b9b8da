using Microsoft.AspNetCore.Identity;

namespace eNMS.Core.Security;

/// <summary>An account. Roles come from Identity's role tables (or, later, from LDAP/OIDC claims).
/// <see cref="ScopePoolIds"/> limits the devices the user sees and targets; empty means every device.</summary>
public sealed class EnmsUser : IdentityUser
{
    public List<int> ScopePoolIds { get; set; } = [];

    /// <summary>Set for the generated first admin password and by an admin's reset that forces a change: until the
    /// user changes it, every page leads to the password page and cookie calls to the API are refused. The audit masks
    /// it as password material (its name says "password"): the reset and the change are recorded as those actions.</summary>
    public bool MustChangePassword { get; set; }

    /// <summary>Null for a local account; <c>"ldap"</c> for the shadow of a directory user, <c>"oidc"</c> for that of a
    /// single sign-on user; neither has a password here: its role and pools come from its groups at each sign-in (see
    /// <see cref="ShadowAccounts"/>).</summary>
    public string? DirectorySource { get; set; }

    /// <summary>Set when the last directory check found the user gone or in no mapped group; the account is then locked
    /// like <see cref="IsDisabled"/>, and the next check that finds them mapped again unlocks it (an admin's lock stays).</summary>
    public bool LockedByDirectory { get; set; }

    /// <summary>When the directory last confirmed (or refused) this account: API tokens ask it again past
    /// <see cref="Ldap.LdapOptions.RecheckMinutes"/>.</summary>
    public DateTimeOffset? DirectoryCheckedAt { get; set; }

    /// <summary>Locked by an admin (page Users: until the end of time), as opposed to the sign-in lockout after wrong
    /// passwords, which lasts minutes and anyone who knows the user name can cause: that one must not stop the
    /// user's API tokens or open sessions.</summary>
    public bool IsDisabled => LockoutEnd is { } end && end.Year == DateTimeOffset.MaxValue.Year;
}

/// <summary>The built-in roles, from most to least privileged. <see cref="Monitor"/> reads the Prometheus metrics and
/// nothing else: what a scraper's token is given, so that a leaked Prometheus configuration exposes no inventory.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Editor = "editor";
    public const string Operator = "operator";
    public const string Viewer = "viewer";
    public const string Monitor = "monitor";

    public static IReadOnlyList<string> All { get; } = [Admin, Editor, Operator, Viewer, Monitor];
}

/// <summary>Policies are named for what they allow; each lists the roles that grant it. Checks ask for a policy,
/// never for a role or an authentication scheme, so other identity sources only have to supply role claims.</summary>
public static class Policies
{
    public const string Read = "read";
    public const string InventoryWrite = "inventory.write";
    public const string AutomationWrite = "automation.write";
    public const string AutomationRun = "automation.run";
    public const string SecretsRead = "secrets.read";
    public const string Admin = "admin";
    public const string MetricsRead = "metrics.read";

    public static IReadOnlyDictionary<string, string[]> RolesFor { get; } = new Dictionary<string, string[]>
    {
        [Read] = [Roles.Admin, Roles.Editor, Roles.Operator, Roles.Viewer],
        [InventoryWrite] = [Roles.Admin, Roles.Editor],
        [AutomationWrite] = [Roles.Admin, Roles.Editor],
        [AutomationRun] = [Roles.Admin, Roles.Editor, Roles.Operator],
        [SecretsRead] = [Roles.Admin],
        [Admin] = [Roles.Admin],
        [MetricsRead] = [Roles.Admin, Roles.Monitor],
    };
}

/// <summary>The claim type that carries a user's pool scope (one claim per pool id).</summary>
public static class EnmsClaims
{
    public const string ScopePool = "enms:scope_pool";

    /// <summary>One per user group the user is a member of (by name): what access lists name besides users.</summary>
    public const string Group = "enms:group";

    /// <summary>Present while the user must change their password (see <see cref="EnmsUser.MustChangePassword"/>).</summary>
    public const string MustChangePassword = "enms:must_change_password";
}
