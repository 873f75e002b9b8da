using eNMS.Core.Inventory;
using eNMS.Core.Inventory.Export;
using eNMS.Core.Inventory.Import;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Tests.Core.Inventory;

public sealed class InventoryExporterTests
{
    [Fact]
    public async Task Export_then_import_gives_an_identical_inventory()
    {
        using var source = new TestDatabase();
        await using (var db = source.CreateDbContext())
        {
            var (devices, links, pools) = eNMS.Core.Demo.DemoNetwork.Build();
            devices[0].CustomProperties.Add(new CustomProperty { Name = "rack", Kind = PropertyKind.Number, Value = "12.5" });
            devices[0].CustomProperties.Add(new CustomProperty { Name = "site_code", Value = "007" });
            devices[1].OsVersion = "1.10";
            (devices[2].Transport, devices[2].Port) = ("telnet", 23);
            (devices[3].Transport, devices[3].Port) = ("telnet", 2323);
            // eNMS's own sheets name a credential on most devices: the export must carry it (without its secret).
            var lab = new Credential { Name = "lab", Username = "admin", Description = "lab login", Priority = 3, Access = CredentialAccess.ReadOnly, ProtectedPassword = TestDatabase.Secrets.Protect("s3cret") };
            devices[0].Credential = lab;
            devices[1].Credential = lab;
            devices[1].CustomProperties.Add(new CustomProperty { Name = "in_service", Kind = PropertyKind.Boolean, Value = "true" });
            pools.Add(new Pool { Name = "hand-picked", Mode = PoolMode.Manual, Devices = [devices[2], devices[3]] });
            db.AddRange(devices);
            db.AddRange(links);
            db.AddRange(pools);
            await db.SaveChangesAsync();
            devices[4].Gateways.AddRange([new DeviceGateway { GatewayId = devices[6].Id, Priority = 0 }, new DeviceGateway { GatewayId = devices[5].Id, Priority = 1 }]);
            await db.SaveChangesAsync();
            await PoolMembership.RecomputeAllAsync(db, CancellationToken.None);
        }
        var file = new MemoryStream();
        await new InventoryExporter(source).WriteAsync(file, null, CancellationToken.None);

        using var target = new TestDatabase();
        file.Position = 0;
        var report = await new InventoryImporter(target, new ImportCredentials(TestDatabase.Secrets), new eNMS.Core.Security.AuditLog(target, TimeProvider.System))
            .ImportAsync(file, "enms-inventory.xlsx", new ImportOptions(Commit: true), CancellationToken.None);

        Assert.Empty(report.Problems);
        Assert.Equal(["lab"], report.CredentialsNeedingSecret);
        Assert.Equal(await Snapshot(source), await Snapshot(target));
        Assert.DoesNotContain("s3cret", System.Text.Encoding.UTF8.GetString(file.ToArray()), StringComparison.Ordinal);
        await using var check = target.CreateDbContext();
        var imported = await check.Credentials.SingleAsync();
        Assert.True(imported.SecretNeeded);
    }

    [Fact]
    public async Task A_device_naming_an_unknown_credential_is_imported_with_a_placeholder_that_needs_its_secret()
    {
        using var target = new TestDatabase();
        var file = Workbooks.Xlsx(("device", [Workbooks.Row("name", "credential"), Workbooks.Row("r1", "core-login")]));

        var report = await new InventoryImporter(target, new ImportCredentials(TestDatabase.Secrets), new eNMS.Core.Security.AuditLog(target, TimeProvider.System))
            .ImportAsync(file, "inventory.xlsx", new ImportOptions(Commit: true), CancellationToken.None);

        Assert.Equal(1, report.Devices.Created);
        Assert.Equal(["core-login"], report.CredentialsNeedingSecret);
        Assert.Contains(report.Notes, n => n.Contains("secret needed", StringComparison.Ordinal));
        await using var db = target.CreateDbContext();
        var device = await db.Devices.Include(d => d.Credential).SingleAsync();
        Assert.Equal("core-login", device.Credential!.Name);
        Assert.True(device.Credential.SecretNeeded);
    }

    [Fact]
    public async Task A_credential_sheet_gives_access_by_its_access_or_enms_role_column_and_refuses_any_other_value()
    {
        using var target = new TestDatabase();
        var file = Workbooks.Xlsx(("credential", [Workbooks.Row("name", "username", "role"), Workbooks.Row("audit", "ro", "read_only"),
            Workbooks.Row("ops", "rw", "read-write"), Workbooks.Row("odd", "x", "sometimes"), Workbooks.Row("plain", "p", "")]));

        var report = await new InventoryImporter(target, new ImportCredentials(TestDatabase.Secrets), new eNMS.Core.Security.AuditLog(target, TimeProvider.System))
            .ImportAsync(file, "inventory.xlsx", new ImportOptions(Commit: true), CancellationToken.None);

        Assert.Equal("'sometimes' is not read-only or read-write", Assert.Single(report.Problems).Reason);
        await using var db = target.CreateDbContext();
        Assert.Equal([("audit", CredentialAccess.ReadOnly), ("ops", CredentialAccess.ReadWrite), ("plain", CredentialAccess.ReadWrite)],
            (await db.Credentials.OrderBy(c => c.Name).ToListAsync()).Select(c => (c.Name, c.Access)));
    }

    /// <summary>Everything but database ids, in a comparable text form.</summary>
    private static async Task<string> Snapshot(TestDatabase database)
    {
        await using var db = database.CreateDbContext();
        var devices = (await db.Devices.Include(d => d.Credential).Include(d => d.Gateways).ThenInclude(g => g.Gateway).OrderBy(d => d.Name).ToListAsync()).Select(d =>
            string.Join('|', InventoryFields.Device.All.Select(f => f.Get(d))) + $"|{d.Credential?.Name}|"
            + string.Join(',', d.Gateways.OrderBy(g => g.Priority).Select(g => g.Gateway!.Name)) + "|"
            + string.Join(';', d.CustomProperties.OrderBy(p => p.Name).Select(p => $"{p.Name}:{p.Kind}:{p.Value}")));
        var links = (await db.Links.Include(l => l.Source).Include(l => l.Destination).OrderBy(l => l.Name).ToListAsync()).Select(l =>
            $"{l.Source!.Name}>{l.Destination!.Name}|" + string.Join('|', InventoryFields.Link.All.Select(f => f.Get(l))));
        var pools = (await db.Pools.Include(p => p.Devices).OrderBy(p => p.Name).ToListAsync()).Select(p =>
            $"{p.Name}|{p.Mode}|{p.Description}|{p.Criteria.Count}|" + string.Join(',', p.Devices.Select(d => d.Name).Order()));
        var credentials = (await db.Credentials.OrderBy(c => c.Name).ToListAsync()).Select(c => $"{c.Name}|{c.Username}|{c.Description}|{c.Priority}|{c.Access}");
        return string.Join('\n', devices.Concat(links).Concat(pools).Concat(credentials));
    }
}
