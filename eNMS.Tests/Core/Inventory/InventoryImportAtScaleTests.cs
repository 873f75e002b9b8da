using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Inventory.Import;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using static eNMS.Tests.TestSupport.Workbooks;

namespace eNMS.Tests.Core.Inventory;

/// <summary>
/// An import of thousands of rows, written in bulk, lands row for row: every device with its columns, custom
/// property and login, every link between the right two devices, pools holding new devices and links, and an
/// existing device updated in place rather than duplicated.
/// </summary>
public abstract class InventoryImportAtScaleTests
{
    private const int DeviceCount = 3000;
    private const int LinkCount = 3000;

    protected abstract IDbContextFactory<EnmsDbContext> Database();

    private static string DeviceName(int i) => $"scale-{i:D5}";

    private static (int Source, int Destination) Ends(int link) => (link % DeviceCount, (link * 7 + 13) % DeviceCount);

    [Fact]
    public async Task Thousands_of_devices_and_links_land_with_their_columns_and_link_endpoints()
    {
        var database = Database();
        await using (var seed = await database.CreateDbContextAsync())
        {
            seed.Devices.Add(new Device { Name = DeviceName(0), Address = "10.99.0.1", Vendor = "before" });
            await seed.SaveChangesAsync();
        }
        var devices = Enumerable.Range(0, DeviceCount).Select(i => Row(DeviceName(i), $"10.{i / 65536}.{i / 256 % 256}.{i % 256}", 22 + i % 3,
            "cisco_ios", "Cisco", $"rack-{i}", i % 2 == 0 ? "admin" : "operator", "pw"));
        var links = Enumerable.Range(0, LinkCount).Select(i => Row($"link-{i:D5}", DeviceName(Ends(i).Source), DeviceName(Ends(i).Destination), $"eth{i}"));
        await using var file = Xlsx(
            ("device", [Row("name", "ip_address", "port", "netmiko_driver", "vendor", "rack", "username", "password"), .. devices]),
            ("link", [Row("name", "source_name", "destination_name", "source_interface"), .. links]),
            ("pool", [Row("name", "mode", "devices", "links"), Row("edge", "manual", $"{DeviceName(1)},{DeviceName(2999)}", "link-00001,link-02999")]));

        var report = await new InventoryImporter(database, new ImportCredentials(TestDatabase.Secrets), new eNMS.Core.Security.AuditLog(database, TimeProvider.System))
            .ImportAsync(file, "scale.xlsx", new ImportOptions(Commit: true), CancellationToken.None);

        Assert.True(report.Committed);
        Assert.Empty(report.Problems);
        Assert.Equal((DeviceCount - 1, 1), (report.Devices.Created, report.Devices.Updated));
        Assert.Equal((LinkCount, 1, 2), (report.Links.Created, report.Pools.Created, report.CredentialsCreated));
        await using var db = await database.CreateDbContextAsync();
        var stored = await db.Devices.Include(d => d.Credential).ToDictionaryAsync(d => d.Name);
        Assert.Equal(DeviceCount, stored.Count);
        for (var i = 0; i < DeviceCount; i++)
        {
            var device = stored[DeviceName(i)];
            Assert.Equal(($"10.{i / 65536}.{i / 256 % 256}.{i % 256}", 22 + i % 3, "cisco_ios", "Cisco"),
                (device.Address, device.Port, device.Platform, device.Vendor));
            Assert.Equal($"rack-{i}", Assert.Single(device.CustomProperties, p => p.Name == "rack").Value);
            Assert.Equal(i % 2 == 0 ? "admin" : "operator", device.Credential!.Username);
        }
        var byId = stored.Values.ToDictionary(d => d.Id, d => d.Name);
        var storedLinks = await db.Links.ToListAsync();
        Assert.Equal(LinkCount, storedLinks.Count);
        foreach (var link in storedLinks)
        {
            var i = int.Parse(link.Name["link-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal((DeviceName(Ends(i).Source), DeviceName(Ends(i).Destination), $"eth{i}"),
                (byId[link.SourceId], byId[link.DestinationId], link.SourceInterface));
        }
        var pool = await db.Pools.Include(p => p.Devices).Include(p => p.Links).SingleAsync();
        Assert.Equal([DeviceName(1), DeviceName(2999)], pool.Devices.Select(d => d.Name).Order());
        Assert.Equal(["link-00001", "link-02999"], pool.Links.Select(l => l.Name).Order());
    }
}

public sealed class InventoryImportAtScaleOnSqliteTests : InventoryImportAtScaleTests, IDisposable
{
    private readonly TestDatabase _database = new();

    protected override IDbContextFactory<EnmsDbContext> Database() => _database;

    public void Dispose() => _database.Dispose();
}

[Collection(PostgresTests.Name)]
public sealed class InventoryImportAtScaleOnPostgresTests(PostgresServer postgres) : InventoryImportAtScaleTests
{
    protected override IDbContextFactory<EnmsDbContext> Database() => postgres.NewMigratedDatabase();
}
