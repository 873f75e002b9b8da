using Bunit;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Security;
using eNMS.Drivers.Cli;
using eNMS.Web.Components.Pages.Admin;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Web;

/// <summary>The host keys page with the real <see cref="HostKeyStore"/> on the test database.</summary>
public sealed class HostKeysPageTests : WebTestContext
{
    private const string Changed = "[127.0.0.7]:2222";
    private const string Steady = "127.0.0.8";
    private readonly KnownHosts _known = new();

    public HostKeysPageTests()
    {
        Services.AddSingleton(_known);
        Services.AddSingleton<HostKeyStore>();
    }

    private Task SeedKeysAsync() => SeedAsync(db => db.KnownHostKeys.AddRange(
        new KnownHostKey { Host = Steady, Fingerprint = "SHA256:steady", Algorithm = "ssh-ed25519", FirstSeen = DateTimeOffset.UnixEpoch },
        new KnownHostKey
        {
            Host = Changed,
            Fingerprint = "SHA256:old",
            Algorithm = "ssh-rsa",
            FirstSeen = DateTimeOffset.UnixEpoch,
            OfferedFingerprint = "SHA256:new",
            OfferedAlgorithm = "ssh-ed25519",
            OfferedAt = DateTimeOffset.UnixEpoch.AddDays(1),
            OfferedDevice = "paris-core",
        }));

    [Fact]
    public async Task An_admin_sees_the_refused_key_next_to_the_trusted_one_and_accepts_exactly_it_audited()
    {
        await SeedKeysAsync();
        var page = Render<HostKeysPage>();
        page.WaitForAssertion(() => Assert.Equal(["127.0.0.7:2222", "127.0.0.8:22"], page.FindAll("[data-testid=hostkey-address]").Select(c => c.TextContent)));
        Assert.Equal("SHA256:new", page.Find("[data-testid=hostkey-offered]").TextContent);
        Assert.Contains("offered by paris-core", page.Find("[data-testid=hostkey-offered-by]").TextContent, StringComparison.Ordinal);
        Assert.All(page.FindAll("[data-testid=hostkey-trusted]"), c => Assert.Contains("learned on first use", c.TextContent, StringComparison.Ordinal));
        Assert.Single(page.FindAll("button[data-testid=hostkey-accept]"));

        await page.InvokeAsync(() => page.Find("button[data-testid=hostkey-accept]").Click());

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=hostkey-offered]")));
        var changedRow = page.FindAll("tbody tr").Single(r => r.TextContent.Contains("127.0.0.7:2222", StringComparison.Ordinal));
        Assert.Contains("pinned by tester", changedRow.QuerySelector("[data-testid=hostkey-trusted]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("SHA256:new", changedRow.QuerySelector("[data-testid=hostkey-fingerprint]")!.TextContent);
        await using var db = await DbFactory.CreateDbContextAsync();
        var key = await db.KnownHostKeys.SingleAsync(k => k.Host == Changed);
        Assert.Equal(("SHA256:new", "ssh-ed25519", "tester"), (key.Fingerprint, key.Algorithm, key.PinnedBy));
        Assert.Null(_known.Check(Changed, "SHA256:new"));
        var entry = await db.AuditEntries.SingleAsync();
        Assert.Equal(("tester", "host key accept", Changed, "SHA256:old → SHA256:new"), (entry.User, entry.Action, entry.TargetName, entry.After));
    }

    [Fact]
    public async Task An_admin_forgets_a_key_audited()
    {
        await SeedKeysAsync();
        var page = Render<HostKeysPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=hostkey-address]").Count));

        var steadyRow = page.FindAll("tbody tr").Single(r => r.TextContent.Contains("127.0.0.8:22", StringComparison.Ordinal));
        await page.InvokeAsync(() => steadyRow.QuerySelector("button[data-testid=hostkey-forget]")!.Click());

        page.WaitForAssertion(() => Assert.Equal(["127.0.0.7:2222"], page.FindAll("[data-testid=hostkey-address]").Select(c => c.TextContent)));
        await using var db = await DbFactory.CreateDbContextAsync();
        Assert.False(await db.KnownHostKeys.AnyAsync(k => k.Host == Steady));
        var entry = await db.AuditEntries.SingleAsync();
        Assert.Equal(("tester", "host key forget", Steady, "SHA256:steady"), (entry.User, entry.Action, entry.TargetName, entry.After));
    }

    [Fact]
    public async Task A_user_who_is_not_an_admin_cannot_accept_even_if_the_page_renders()
    {
        await SeedKeysAsync();
        Authorization.SetRoles(Roles.Editor);
        Authorization.SetPolicies(Policies.Read, Policies.InventoryWrite, Policies.AutomationWrite, Policies.AutomationRun);
        var page = Render<HostKeysPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("button[data-testid=hostkey-accept]")));

        await page.InvokeAsync(() => page.Find("button[data-testid=hostkey-accept]").Click());

        await using var db = await DbFactory.CreateDbContextAsync();
        Assert.Equal("SHA256:old", (await db.KnownHostKeys.SingleAsync(k => k.Host == Changed)).Fingerprint);
        Assert.False(await db.AuditEntries.AnyAsync());
    }
}
