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

    private static ComplianceRule Rule(string name, int? poolId = null) =>
        new() { Name = name, PoolId = poolId, Platform = poolId is null ? "cisco_ios" : "", Mode = ComplianceMode.Snippets, Template = "ntp server 192.0.2.1" };

    [Fact]
    public async Task A_rule_naming_a_missing_pool_a_taken_name_or_no_such_rule_is_refused_and_nothing_is_written()
    {
        var missingPool = await ComplianceRules.SaveAsync(_db, null, Rule("ntp", poolId: 4242), CancellationToken.None);
        Assert.Equal("ntp: pool: no pool #4242.", missingPool.Problem);

        Assert.NotNull((await ComplianceRules.SaveAsync(_db, null, Rule("ntp"), CancellationToken.None)).Rule);
        var taken = await ComplianceRules.SaveAsync(_db, null, Rule(" ntp "), CancellationToken.None);
        Assert.Equal("A compliance rule named 'ntp' already exists.", taken.Problem);
        Assert.True((await ComplianceRules.SaveAsync(_db, 999, Rule("other"), CancellationToken.None)).NotFound);
        Assert.False(await ComplianceRules.DeleteAsync(_db, 999, CancellationToken.None));

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
        var saved = (await ComplianceRules.SaveAsync(_db, null, Rule("ntp", poolId: 1), CancellationToken.None)).Rule!;
        Assert.True(await ComplianceRules.DeleteAsync(_db, saved.Id, CancellationToken.None));

        await using var db = _db.CreateDbContext();
        var actions = await db.AuditEntries.Where(e => e.TargetId == saved.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) && e.TargetKind == "compliance rule")
            .OrderBy(e => e.Id).Select(e => e.Action + " " + e.TargetName).ToListAsync();
        Assert.Equal(["create ntp", "delete ntp"], actions);
    }

    public void Dispose() => _db.Dispose();
}
