using eNMS.Core.Security;
using eNMS.Core.Security.Oidc;

namespace eNMS.Tests.Core.Security;

/// <summary>What the "Oidc" section refuses at startup, each message naming the setting.</summary>
public sealed class OidcOptionsTests
{
    private static OidcOptions Valid() => new()
    {
        Enabled = true,
        Authority = "https://sso.example.com/realms/netops",
        ClientId = "enms",
        RoleMappings = [new GroupRoleMapping { Group = "netops-admins", Role = "admin" }],
    };

    [Theory]
    [InlineData("Oidc:Authority", nameof(OidcOptions.Authority), "sso.example.com")]
    [InlineData("Oidc:Authority", nameof(OidcOptions.Authority), "http://sso.example.com")]
    [InlineData("Oidc:ClientId", nameof(OidcOptions.ClientId), " ")]
    [InlineData("Oidc:UserNameClaim", nameof(OidcOptions.UserNameClaim), "")]
    [InlineData("Oidc:DefaultRole", nameof(OidcOptions.DefaultRole), "superuser")]
    public void A_bad_setting_is_named(string named, string property, string value)
    {
        var options = Valid();
        typeof(OidcOptions).GetProperty(property)!.SetValue(options, value);
        Assert.StartsWith(named, options.Validate(), StringComparison.Ordinal);
    }

    [Fact]
    public void Mappings_must_give_a_role_and_a_plain_http_provider_needs_the_lab_switch()
    {
        Assert.Null(Valid().Validate());
        Assert.Null(new OidcOptions { Authority = "nonsense" }.Validate());
        var unmapped = Valid();
        unmapped.RoleMappings = [];
        Assert.StartsWith("Oidc:RoleMappings", unmapped.Validate(), StringComparison.Ordinal);
        unmapped.DefaultRole = Roles.Viewer;
        Assert.Null(unmapped.Validate());
        var badRole = Valid();
        badRole.RoleMappings = [new GroupRoleMapping { Group = "g", Role = "root" }];
        Assert.StartsWith("Oidc:RoleMappings", badRole.Validate(), StringComparison.Ordinal);
        var badPool = Valid();
        badPool.PoolMappings = [new GroupPoolMapping { Group = "paris-team" }];
        Assert.StartsWith("Oidc:PoolMappings", badPool.Validate(), StringComparison.Ordinal);
        var lab = Valid();
        lab.Authority = "http://127.0.0.1:5000/";
        lab.RequireHttpsMetadata = false;
        Assert.Null(lab.Validate());
        lab.Scopes = ["profile email"];
        Assert.StartsWith("Oidc:Scopes", lab.Validate(), StringComparison.Ordinal);
    }
}
