using eNMS.Core.Security;
using eNMS.Core.Security.Ldap;

namespace eNMS.Tests.Core.Security;

/// <summary>What the "Ldap" section refuses at startup (each message names the setting), and the filter escaping.</summary>
public sealed class LdapOptionsTests
{
    private static LdapOptions Valid() => new()
    {
        Enabled = true,
        Url = "ldaps://ldap.example.org:636",
        UserSearchBase = "ou=people,dc=example,dc=org",
        RoleMappings = [new GroupRoleMapping { Group = "cn=admins,dc=example,dc=org", Role = "admin" }],
    };

    [Theory]
    [InlineData("Ldap:Url", nameof(LdapOptions.Url), "")]
    [InlineData("Ldap:Urls", nameof(LdapOptions.Url), "https://ldap.example.org")]
    [InlineData("Ldap:UserSearchBase", nameof(LdapOptions.UserSearchBase), " ")]
    [InlineData("Ldap:UserFilter", nameof(LdapOptions.UserFilter), "(uid=alice)")]
    [InlineData("Ldap:UserFilter", nameof(LdapOptions.UserFilter), "(uid={0}){")]
    [InlineData("Ldap:GroupFilter", nameof(LdapOptions.GroupFilter), "member={0}")]
    [InlineData("Ldap:CaCertificateFile", nameof(LdapOptions.CaCertificateFile), "/nonexistent/ca.pem")]
    public void A_bad_setting_is_named(string named, string property, string value)
    {
        var options = Valid();
        typeof(LdapOptions).GetProperty(property)!.SetValue(options, value);
        Assert.StartsWith(named, options.Validate(), StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_ldap_needs_starttls_or_an_explicit_allowance_and_roles_and_timeouts_are_checked()
    {
        var plain = Valid();
        plain.Url = "ldap://ldap.example.org";
        Assert.Null(plain.Validate());
        plain.StartTls = false;
        Assert.Contains("AllowPlainLdap", plain.Validate(), StringComparison.Ordinal);
        plain.AllowPlainLdap = true;
        Assert.Null(plain.Validate());

        var options = Valid();
        options.RoleMappings[0].Role = "root";
        Assert.StartsWith("Ldap:RoleMappings", options.Validate(), StringComparison.Ordinal);
        options.RoleMappings.Clear();
        Assert.StartsWith("Ldap:RoleMappings", options.Validate(), StringComparison.Ordinal);
        options = Valid();
        options.TimeoutSeconds = 3600;
        Assert.StartsWith("Ldap:TimeoutSeconds", options.Validate(), StringComparison.Ordinal);
        options = Valid();
        options.PoolMappings = [new GroupPoolMapping { Group = "cn=paris,dc=example,dc=org" }];
        Assert.StartsWith("Ldap:PoolMappings", options.Validate(), StringComparison.Ordinal);
        Assert.Null(new LdapOptions { Url = "nonsense" }.Validate());
    }

    [Fact]
    public void A_user_group_mapping_can_stand_in_for_role_mappings_and_a_bad_one_is_named()
    {
        var options = Valid();
        options.RoleMappings.Clear();
        options.UserGroupMappings = [new GroupUserGroupMapping { Group = "cn=noc,dc=example,dc=org", UserGroup = " " }];
        Assert.StartsWith("Ldap:UserGroupMappings", options.Validate(), StringComparison.Ordinal);
        options.UserGroupMappings[0].UserGroup = "noc";
        Assert.Null(options.Validate());
    }

    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("*)(uid=*", "\\2a\\29\\28uid=\\2a")]
    [InlineData("a\\b\0", "a\\5cb\\00")]
    [InlineData("é", "\\c3\\a9")]
    public void Filter_values_are_escaped_as_rfc_4515_says(string value, string escaped) =>
        Assert.Equal(escaped, LdapFilter.Escape(value));
}
