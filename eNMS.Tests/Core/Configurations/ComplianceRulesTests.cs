using eNMS.Core.Configurations;
using eNMS.Core.Inventory;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Tests.Core.Configurations;

/// <summary>The one place compliance rules are saved and deleted (the page and the API both use it).</summary>
public sealed class ComplianceRulesTests : IDisposable
{
    private readonly TestDatabase _db = new(new AuditInterceptor(TimeProvider.System));
    private readonly AuditLog _audit;

    public ComplianceRulesTests() => _audit = new AuditLog(_db, TimeProvider.System);

    private static ComplianceRule Rule(string name, int? poolId = null) =>
        new() { Name = name, PoolId = poolId, Platform = poolId is null ? "cisco_ios" : "", Mode = ComplianceMode.Snippets, Template = "ntp server 192.0.2.1" };

    [Fact]
    public async Task A_rule_naming_a_missing_pool_a_taken_name_or_no_such_rule_is_refused_and_nothing_is_written()
    {
        var missingPool = await ComplianceRules.SaveAsync(_db, _audit, null, Rule("ntp", poolId: 4242), null, null, CancellationToken.None);
        Assert.Equal("ntp: pool: no pool #4242.", missingPool.Problem);

        Assert.NotNull((await ComplianceRules.SaveAsync(_db, _audit, null, Rule("ntp"), null, null, CancellationToken.None)).Rule);
        var taken = await ComplianceRules.SaveAsync(_db, _audit, null, Rule(" ntp "), null, null, CancellationToken.None);
        Assert.Equal("A compliance rule named 'ntp' already exists.", taken.Problem);
        Assert.True((await ComplianceRules.SaveAsync(_db, _audit, 999, Rule("other"), null, null, CancellationToken.None)).NotFound);
        Assert.False(await ComplianceRules.DeleteAsync(_db, _audit, 999, null, CancellationToken.None));

        await using var db = _db.CreateDbContext();
        Assert.Equal(["ntp"], await db.ComplianceRules.Select(r => r.Name).ToListAsync());
    }

    [Fact]
    public async Task Saving_and_deleting_a_rule_are_audited()
    {
        await using (var seed = _db.CreateDbContext())
        {
            seed.Pools.Add(new Pool { Name = "core" });
            await seed.SaveChangesAsync();
        }
        var saved = (await ComplianceRules.SaveAsync(_db, _audit, null, Rule("ntp", poolId: 1), null, null, CancellationToken.None)).Rule!;
        Assert.True(await ComplianceRules.DeleteAsync(_db, _audit, saved.Id, null, CancellationToken.None));

        await using var db = _db.CreateDbContext();
        var actions = await db.AuditEntries.Where(e => e.TargetId == saved.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) && e.TargetKind == "compliance rule")
            .OrderBy(e => e.Id).Select(e => e.Action + " " + e.TargetName).ToListAsync();
        Assert.Equal(["create ntp", "delete ntp"], actions);
    }

    [Fact]
    public async Task A_rule_is_its_creator_s_its_edit_list_refuses_others_audited_and_its_read_list_hides_it()
    {
        var previous = AuditActor.Current;
        try
        {
            await using (var seed = _db.CreateDbContext())
            {
                seed.Users.AddRange(new EnmsUser { UserName = "alice", NormalizedUserName = "ALICE" }, new EnmsUser { UserName = "bob", NormalizedUserName = "BOB" });
                await seed.SaveChangesAsync();
            }
            var (alice, bob) = (new AuditActor("alice", null), new AuditActor("bob", null));
            AuditActor.Current = alice;
            var rule = (await ComplianceRules.SaveAsync(_db, _audit, null, Rule("ntp"), new AccessChange(EditAccess: ["user:alice"]), null, CancellationToken.None)).Rule!;
            Assert.Equal("alice", rule.Owner);

            AuditActor.Current = bob;
            var refused = await Assert.ThrowsAsync<AccessDeniedException>(() => ComplianceRules.SaveAsync(_db, _audit, rule.Id, Rule("ntp"), null, null, CancellationToken.None));
            Assert.Contains("Compliance rule 'ntp'", refused.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<AccessDeniedException>(() => ComplianceRules.DeleteAsync(_db, _audit, rule.Id, null, CancellationToken.None));

            // The owner hands it over to bob only and hides it from everyone else: alice, no longer owner, no longer sees it.
            AuditActor.Current = alice;
            var unknown = await ComplianceRules.SaveAsync(_db, _audit, rule.Id, Rule("ntp"), new AccessChange(ReadAccess: ["user:carol"]), null, CancellationToken.None);
            Assert.Contains("No such user or group: user:carol", unknown.Problem, StringComparison.Ordinal);
            Assert.NotNull((await ComplianceRules.SaveAsync(_db, _audit, rule.Id, Rule("ntp"), new AccessChange("bob", ["user:bob"], ["user:bob"]), null, CancellationToken.None)).Rule);
            Assert.True((await ComplianceRules.SaveAsync(_db, _audit, rule.Id, Rule("ntp"), null, null, CancellationToken.None)).NotFound);
            Assert.False(await ComplianceRules.DeleteAsync(_db, _audit, rule.Id, null, CancellationToken.None));
            await using (var db = _db.CreateDbContext())
            {
                Assert.Empty(await ComplianceRules.ListAsync(db, alice, CancellationToken.None));
                Assert.Equal(["ntp"], (await ComplianceRules.ListAsync(db, bob, CancellationToken.None)).Select(r => r.Name));
                Assert.Single(await ComplianceRules.ListAsync(db, new AuditActor("root", null) { IsAdmin = true }, CancellationToken.None));
            }

            AuditActor.Current = null;
            await using var check = _db.CreateDbContext();
            var refusals = await check.AuditEntries.Where(e => e.TargetKind == "compliance rule" && e.Action.EndsWith(" refused"))
                .OrderBy(e => e.Id).Select(e => e.User + " " + e.Action + " " + e.TargetName).ToListAsync();
            Assert.Equal(["bob update refused ntp", "bob delete refused ntp"], refusals);
        }
        finally
        {
            AuditActor.Current = previous;
        }
    }

    public void Dispose() => _db.Dispose();
}
