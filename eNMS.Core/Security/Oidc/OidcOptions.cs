namespace eNMS.Core.Security.Oidc;

/// <summary>Bound from the "Oidc" section: single sign-on through an OpenID Connect provider (Keycloak, Entra ID, ...),
/// authorization code flow with PKCE (off by default). <see cref="ClientSecret"/> is a secret: give it through the
/// environment (<c>Oidc__ClientSecret</c>) or the settings page (stored encrypted with the key ring); it is never logged.</summary>
public sealed class OidcOptions
{
    public const string Section = "Oidc";
    public const string Scheme = "oidc";

    public bool Enabled { get; set; }

    /// <summary>The provider's issuer URL; its discovery document is <c>{Authority}/.well-known/openid-configuration</c>.</summary>
    public string Authority { get; set; } = "";

    public string ClientId { get; set; } = "";

    /// <summary>Empty for a public client (PKCE alone).</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>Asked besides <c>openid</c>.</summary>
    public List<string> Scopes { get; set; } = ["profile"];

    /// <summary>The id token claim that names the user (their eNMS account name).</summary>
    public string UserNameClaim { get; set; } = "preferred_username";

    /// <summary>The id token claim listing the user's groups (one value per group).</summary>
    public string GroupsClaim { get; set; } = "groups";

    public List<GroupRoleMapping> RoleMappings { get; set; } = [];

    public List<GroupPoolMapping> PoolMappings { get; set; } = [];

    /// <summary>Members of a provider group become members of an eNMS user group (by name) at each sign-in.</summary>
    public List<GroupUserGroupMapping> UserGroupMappings { get; set; } = [];

    /// <summary>The role of a user in no role-mapped group; empty (the default): such a user is refused.</summary>
    public string DefaultRole { get; set; } = "";

    /// <summary>The sign-in button says "Sign in with {DisplayName}".</summary>
    public string DisplayName { get; set; } = "single sign-on";

    /// <summary>The provider's metadata must come over HTTPS; off only for a lab provider on plain HTTP.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Bound for each call to the provider (discovery, keys, token).</summary>
    public int TimeoutSeconds { get; set; } = 10;

    public GroupMappings Mappings => new(RoleMappings, PoolMappings, DefaultRole.Length == 0 ? null : DefaultRole) { UserGroups = UserGroupMappings };

    /// <summary>Null when valid (or disabled), else what is wrong, naming the setting.</summary>
    public string? Validate()
    {
        if (!Enabled)
        {
            return null;
        }
        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
        {
            return "Oidc:Authority must be the provider's issuer URL, e.g. https://sso.example.com/realms/netops.";
        }
        if (authority.Scheme == "http" && RequireHttpsMetadata)
        {
            return $"Oidc:Authority '{Authority}' is plain HTTP: use https://, or Oidc:RequireHttpsMetadata=false for a lab.";
        }
        if (string.IsNullOrWhiteSpace(ClientId))
        {
            return "Oidc:ClientId must name eNMS's client at the provider.";
        }
        if (string.IsNullOrWhiteSpace(UserNameClaim) || string.IsNullOrWhiteSpace(GroupsClaim))
        {
            return "Oidc:UserNameClaim and Oidc:GroupsClaim must name id token claims (e.g. preferred_username, groups).";
        }
        if (Scopes.Any(s => string.IsNullOrWhiteSpace(s) || s.Any(char.IsWhiteSpace)))
        {
            return "Oidc:Scopes: each scope is one word (profile, email, groups).";
        }
        if (DefaultRole.Length > 0 && !Roles.All.Contains(DefaultRole))
        {
            return $"Oidc:DefaultRole must be empty (refuse unmapped users) or one of: {string.Join(", ", Roles.All)}.";
        }
        if (RoleMappings.Count == 0 && UserGroupMappings.Count == 0 && DefaultRole.Length == 0)
        {
            return "Oidc:RoleMappings must map at least one group to a role (or set Oidc:UserGroupMappings or Oidc:DefaultRole): a user needs a role to sign in.";
        }
        if (UserGroupMappings.FirstOrDefault(m => string.IsNullOrWhiteSpace(m.Group) || string.IsNullOrWhiteSpace(m.UserGroup)) is { } badGroup)
        {
            return $"Oidc:UserGroupMappings: '{badGroup.Group}' → '{badGroup.UserGroup}' needs a group and the name of an eNMS user group.";
        }
        if (RoleMappings.FirstOrDefault(m => string.IsNullOrWhiteSpace(m.Group) || !Roles.All.Contains(m.Role)) is { } badRole)
        {
            return $"Oidc:RoleMappings: '{badRole.Group}' → '{badRole.Role}' needs a group and one of: {string.Join(", ", Roles.All)}.";
        }
        if (PoolMappings.FirstOrDefault(m => string.IsNullOrWhiteSpace(m.Group) || m.Pools.Count == 0) is { } badPool)
        {
            return $"Oidc:PoolMappings: '{badPool.Group}' needs a group and at least one pool name.";
        }
        if (TimeoutSeconds is < 1 or > 60)
        {
            return $"Oidc:TimeoutSeconds must be 1 to 60, not {TimeoutSeconds}.";
        }
        return null;
    }
}
