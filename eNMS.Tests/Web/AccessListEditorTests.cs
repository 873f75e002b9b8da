using Bunit;
using eNMS.Core.Security;
using eNMS.Web.Components.Shared;

namespace eNMS.Tests.Web;

/// <summary>The owner and access lists editor: only the owner or an admin may change them; others see them read-only.</summary>
public sealed class AccessListEditorTests : WebTestContext
{
    private static readonly AccessLists CarolsLists = new() { Owner = "carol", ReadAccess = ["group:core"], EditAccess = ["user:carol"] };

    [Fact]
    public void An_editor_who_is_not_the_owner_sees_the_lists_read_only()
    {
        Authorization.SetRoles(Roles.Editor);

        var editor = Render<AccessListEditor>(p => p.Add(e => e.Fields, AccessFields.From(CarolsLists)).Add(e => e.Stored, CarolsLists).Add(e => e.ShowRun, false));

        editor.WaitForAssertion(() => Assert.NotEmpty(editor.FindAll("[data-testid=access-readonly]")));
        Assert.Empty(editor.FindAll("[data-testid^=access-add-]"));
        Assert.Contains("group:core", editor.Markup, StringComparison.Ordinal);
        Assert.Empty(editor.FindAll("[data-testid=access-run]"));
    }

    [Fact]
    public void The_owner_and_an_admin_may_change_them()
    {
        Authorization.SetAuthorized("carol");
        Authorization.SetRoles(Roles.Editor);
        var owner = Render<AccessListEditor>(p => p.Add(e => e.Fields, AccessFields.From(CarolsLists)).Add(e => e.Stored, CarolsLists));
        owner.WaitForAssertion(() => Assert.Equal(3, owner.FindAll("[data-testid^=access-add-]").Count));
        Assert.Empty(owner.FindAll("[data-testid=access-readonly]"));

        Authorization.SetAuthorized("root");
        Authorization.SetRoles(Roles.Admin);
        var admin = Render<AccessListEditor>(p => p.Add(e => e.Fields, AccessFields.From(CarolsLists)).Add(e => e.Stored, CarolsLists));
        admin.WaitForAssertion(() => Assert.Equal(3, admin.FindAll("[data-testid^=access-add-]").Count));
    }
}
