using System.Globalization;

namespace eNMS.Core.Security.Ldap;

/// <summary>How a user's groups are found: the user entry's <c>memberOf</c> attribute (Active Directory, OpenLDAP with
/// the memberof overlay), or a search of the group base with <see cref="LdapOptions.GroupFilter"/>.</summary>
public enum GroupMembership
{
    MemberOf,
    GroupSearch,
}

/// <summary>Groups inside groups: not followed; asked of Active Directory in one search with the matching rule
/// LDAP_MATCHING_RULE_IN_CHAIN (1.2.840.113556.1.4.1941); or followed level by level by eNMS (any server, bounded).</summary>
public enum NestedGroups
{
    Off,
    InChain,
    Recursive,
}

/// <summary>Bound from the "Ldap" section: sign-in from an LDAP directory or Active Directory (off by default).
/// <see cref="BindPassword"/> is a secret: give it through the environment (<c>Ldap__BindPassword</c>); it is never logged.</summary>
public sealed class LdapOptions
{
    public const string Section = "Ldap";
    public const string InChainRule = "1.2.840.113556.1.4.1941";
    public const int MaxTimeoutSeconds = 60;

    public bool Enabled { get; set; }

    /// <summary>One server (<c>ldaps://dc1.example.com:636</c> or <c>ldap://...:389</c>), or several in <see cref="Urls"/>,
    /// tried in order while a server is unreachable.</summary>
    public string? Url { get; set; }

    public List<string> Urls { get; set; } = [];

    /// <summary>For <c>ldap://</c> URLs: upgrade the connection with StartTLS before any bind (default on).</summary>
    public bool StartTls { get; set; } = true;

    /// <summary>Allows <c>ldap://</c> without StartTLS, where passwords cross the network in clear: for a lab only.</summary>
    public bool AllowPlainLdap { get; set; }

    /// <summary>PEM file of the CA that signed the servers' certificates, when the system's CAs do not cover it.</summary>
    public string? CaCertificateFile { get; set; }

    /// <summary>The service account that searches the directory (empty: anonymous search).</summary>
    public string BindDn { get; set; } = "";

    public string BindPassword { get; set; } = "";

    public string UserSearchBase { get; set; } = "";

    /// <summary>{0} is the user name as typed, escaped (RFC 4515): <c>(uid={0})</c>, <c>(sAMAccountName={0})</c>.</summary>
    public string UserFilter { get; set; } = "(uid={0})";

    public GroupMembership GroupMembership { get; set; } = GroupMembership.MemberOf;

    /// <summary>Where groups are searched (group search, nested groups); empty: <see cref="UserSearchBase"/>.</summary>
    public string GroupSearchBase { get; set; } = "";

    /// <summary>{0} is the member's DN, escaped: <c>(member={0})</c>, <c>(uniqueMember={0})</c>.</summary>
    public string GroupFilter { get; set; } = "(member={0})";

    public NestedGroups NestedGroups { get; set; } = NestedGroups.Off;

    public List<GroupRoleMapping> RoleMappings { get; set; } = [];

    public List<GroupPoolMapping> PoolMappings { get; set; } = [];

    public List<GroupUserGroupMapping> UserGroupMappings { get; set; } = [];

    /// <summary>Bound for each connection and each request to the directory.</summary>
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>An API token of a directory user is checked against the directory again when its last check is older
    /// than this (0: only at sign-in; the shadow account's lock still applies).</summary>
    public int RecheckMinutes { get; set; } = 15;

    /// <summary>Shown on the sign-in page: "Sign in with your {DisplayName} account".</summary>
    public string DisplayName { get; set; } = "directory";

    public IReadOnlyList<string> AllUrls => [.. new[] { Url }.Concat(Urls).Where(u => !string.IsNullOrWhiteSpace(u)).Select(u => u!.Trim())];

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    public string EffectiveGroupSearchBase => string.IsNullOrWhiteSpace(GroupSearchBase) ? UserSearchBase : GroupSearchBase;

    /// <summary>Null when valid (or disabled), else what is wrong, naming the setting.</summary>
    public string? Validate()
    {
        if (!Enabled)
        {
            return null;
        }
        if (AllUrls.Count == 0)
        {
            return "Ldap:Url (or Ldap:Urls) must name the directory server, e.g. ldaps://dc1.example.com:636.";
        }
        foreach (var url in AllUrls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("ldap" or "ldaps") || uri.Host.Length == 0)
            {
                return $"Ldap:Urls: '{url}' is not an ldaps://host:port or ldap://host:port URL.";
            }
            if (uri.Scheme == "ldap" && !StartTls && !AllowPlainLdap)
            {
                return $"Ldap:Urls: '{url}' is plain LDAP (passwords in clear): use ldaps://, set Ldap:StartTls=true, or Ldap:AllowPlainLdap=true for a lab.";
            }
        }
        if (CaCertificateFile is { Length: > 0 } ca && !File.Exists(ca))
        {
            return $"Ldap:CaCertificateFile: no file '{ca}'.";
        }
        if (string.IsNullOrWhiteSpace(UserSearchBase))
        {
            return "Ldap:UserSearchBase must name where users are, e.g. ou=people,dc=example,dc=org.";
        }
        if (FilterProblem(UserFilter) is { } userProblem)
        {
            return $"Ldap:UserFilter: {userProblem}";
        }
        if (FilterProblem(GroupFilter) is { } groupProblem)
        {
            return $"Ldap:GroupFilter: {groupProblem}";
        }
        if (TimeoutSeconds is < 1 or > MaxTimeoutSeconds)
        {
            return $"Ldap:TimeoutSeconds must be 1 to {MaxTimeoutSeconds}, not {TimeoutSeconds}.";
        }
        if (RecheckMinutes < 0)
        {
            return $"Ldap:RecheckMinutes must be 0 (only at sign-in) or a number of minutes, not {RecheckMinutes}.";
        }
        if (RoleMappings.Count == 0 && UserGroupMappings.Count == 0)
        {
            return "Ldap:RoleMappings (or Ldap:UserGroupMappings) must map at least one group: a directory user needs a role to sign in.";
        }
        if (UserGroupMappings.FirstOrDefault(m => string.IsNullOrWhiteSpace(m.Group) || string.IsNullOrWhiteSpace(m.UserGroup)) is { } badGroup)
        {
            return $"Ldap:UserGroupMappings: '{badGroup.Group}' → '{badGroup.UserGroup}' needs a group DN and the name of an eNMS user group.";
        }
        if (RoleMappings.FirstOrDefault(m => string.IsNullOrWhiteSpace(m.Group) || !Roles.All.Contains(m.Role)) is { } badRole)
        {
            return $"Ldap:RoleMappings: '{badRole.Group}' → '{badRole.Role}' needs a group DN and one of: {string.Join(", ", Roles.All)}.";
        }
        if (PoolMappings.FirstOrDefault(m => string.IsNullOrWhiteSpace(m.Group) || m.Pools.Count == 0) is { } badPool)
        {
            return $"Ldap:PoolMappings: '{badPool.Group}' needs a group DN and at least one pool name.";
        }
        return null;
    }

    /// <summary>The filter with {0} replaced by an escaped value.</summary>
    public static string Format(string filter, string value) =>
        string.Format(CultureInfo.InvariantCulture, filter, LdapFilter.Escape(value));

    private static string? FilterProblem(string filter)
    {
        if (!filter.Contains("{0}", StringComparison.Ordinal) || !filter.StartsWith('(') || !filter.EndsWith(')'))
        {
            return $"'{filter}' must be a parenthesized filter with {{0}} where the value goes.";
        }
        try
        {
            _ = Format(filter, "x");
            return null;
        }
        catch (FormatException)
        {
            return $"'{filter}' has braces other than {{0}} (write a literal brace as {{{{ or }}}}).";
        }
    }
}
