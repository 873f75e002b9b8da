using eNMS.Core.Inventory;
using eNMS.Core.Inventory.Editing;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Tests.Core.Inventory;

public sealed class DeviceBulkEditorTests : IDisposable
{
    private readonly TestDatabase _db = new(new AuditInterceptor(TimeProvider.System));
    private readonly DeviceBulkEditor _editor;

    public DeviceBulkEditorTests() => _editor = new DeviceBulkEditor(_db);

    public void Dispose() => _db.Dispose();

    private async Task<List<int>> SeedAsync(int count, string vendor = "Cisco")
    {
        await using var db = _db.CreateDbContext();
        var devices = Enumerable.Range(1, count).Select(i => new Device { Name = $"r{i:D3}", Vendor = vendor, Platform = "cisco_ios" }).ToList();
        db.Devices.AddRange(devices);
        await db.SaveChangesAsync();
        db.AuditEntries.RemoveRange(db.AuditEntries);
        await db.SaveChangesAsync();
        return [.. devices.Select(d => d.Id)];
    }

    [Fact]
    public async Task Sets_the_field_on_every_selected_device_with_one_audit_entry_each()
    {
        var ids = await SeedAsync(4);

        var result = await _editor.SetFieldAsync(ids[..3], "vendor", "  Juniper ", scope: null, CancellationToken.None);

        Assert.True(result.Succeeded, result.Problem);
        Assert.Equal(3, result.Changed);
        await using var db = _db.CreateDbContext();
        Assert.Equal(["Juniper", "Juniper", "Juniper", "Cisco"], await db.Devices.OrderBy(d => d.Name).Select(d => d.Vendor).ToListAsync());
        var audit = await db.AuditEntries.OrderBy(a => a.TargetName).ToListAsync();
        Assert.Equal(["r001", "r002", "r003"], audit.Select(a => a.TargetName));
        Assert.All(audit, a => Assert.Equal(("update", "device"), (a.Action, a.TargetKind)));
        Assert.Contains("\"Vendor\":\"Cisco\"", audit[0].Before, StringComparison.Ordinal);
        Assert.Contains("\"Vendor\":\"Juniper\"", audit[0].After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_selection_larger_than_the_audit_detail_limit_still_gets_one_entry_per_device()
    {
        var ids = await SeedAsync(AuditInterceptor.DetailLimit + 30);

        var result = await _editor.SetFieldAsync(ids, "location", "Lyon", scope: null, CancellationToken.None);

        Assert.Equal(AuditInterceptor.DetailLimit + 30, result.Changed);
        await using var db = _db.CreateDbContext();
        var audit = await db.AuditEntries.ToListAsync();
        Assert.Equal(AuditInterceptor.DetailLimit + 30, audit.Count);
        Assert.DoesNotContain(audit, a => a.Action.StartsWith("bulk", StringComparison.Ordinal));
        Assert.Equal(ids.Count, await db.Devices.CountAsync(d => d.Location == "Lyon"));
    }

    [Theory]
    [InlineData("port", "70000", "is not a TCP port")]
    [InlineData("address", "999.1.1.1", "999.1.1.1")]
    [InlineData("platform", "not_a_platform", "not_a_platform")]
    [InlineData("name", "same-name", "unique")]
    [InlineData("credential", "x", "is not a device field")]
    public async Task The_field_catalog_decides_the_fields_and_checks_the_value(string field, string value, string problem)
    {
        var ids = await SeedAsync(2);

        var result = await _editor.SetFieldAsync(ids, field, value, scope: null, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains(problem, result.Problem, StringComparison.Ordinal);
        await using var db = _db.CreateDbContext();
        Assert.Empty(await db.AuditEntries.ToListAsync());
    }

    [Fact]
    public async Task Values_are_stored_in_their_canonical_form()
    {
        var ids = await SeedAsync(2);

        await _editor.SetFieldAsync(ids, "platform", "cisco_xe", scope: null, CancellationToken.None);
        await _editor.SetFieldAsync(ids, "port", "2222.0", scope: null, CancellationToken.None);

        await using var db = _db.CreateDbContext();
        Assert.All(await db.Devices.ToListAsync(), d => Assert.Equal(("cisco_ios", 2222), (d.Platform, d.Port)));
    }

    [Fact]
    public async Task A_device_outside_the_users_pools_refuses_the_whole_edit_and_is_named_by_id_only()
    {
        var world = await ScopedWorld.SeedAsync(_db);

        var result = await _editor.SetFieldAsync([world.Inside, world.Outside], "vendor", "Arista", world.Scope, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal([world.Outside], result.Missing);
        Assert.Contains($"#{world.Outside}", result.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain(ScopedWorld.OutsideName, result.Problem, StringComparison.Ordinal);
        await using var db = _db.CreateDbContext();
        Assert.DoesNotContain(await db.Devices.Select(d => d.Vendor).ToListAsync(), v => v == "Arista");

        var inside = await _editor.SetFieldAsync([world.Inside], "vendor", "Arista", world.Scope, CancellationToken.None);
        Assert.Equal(1, inside.Changed);
    }

    [Fact]
    public async Task Dynamic_pools_follow_the_new_value()
    {
        var ids = await SeedAsync(3);
        await using (var db = _db.CreateDbContext())
        {
            db.Pools.Add(new Pool
            {
                Name = "aristas",
                Mode = PoolMode.Dynamic,
                Criteria = [new PoolCriterion { Target = PoolTarget.Device, Property = "vendor", Operator = CriterionOperator.Equals, Value = "Arista" }],
            });
            await db.SaveChangesAsync();
        }

        await _editor.SetFieldAsync(ids[..2], "vendor", "Arista", scope: null, CancellationToken.None);

        await using var check = _db.CreateDbContext();
        var members = await check.Pools.Where(p => p.Name == "aristas").SelectMany(p => p.Devices).Select(d => d.Name).OrderBy(n => n).ToListAsync();
        Assert.Equal(["r001", "r002"], members);
    }
}
