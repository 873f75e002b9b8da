using eNMS.Core.Inventory;
using eNMS.Core.Inventory.Import;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using static eNMS.Tests.TestSupport.Workbooks;

namespace eNMS.Tests.Core.Inventory;

public sealed class InventoryImporterTests : IDisposable
{
    private readonly TestDatabase _db = new();
    private readonly InventoryImporter _importer;

    public InventoryImporterTests() => _importer = new InventoryImporter(_db, new ImportCredentials(TestDatabase.Secrets), new eNMS.Core.Security.AuditLog(_db, TimeProvider.System));

    public void Dispose() => _db.Dispose();

    private Task<ImportReport> Import(Stream file, string name = "inventory.xlsx", bool commit = true, bool replace = false) =>
        _importer.ImportAsync(file, name, new ImportOptions(commit, replace), CancellationToken.None);

    private static MemoryStream Devices(params object?[][] rows) =>
        Xlsx(("device", [Row("name", "ip_address", "port", "latitude", "longitude", "netmiko_driver", "site_code"), .. rows]));

    [Fact]
    public async Task Legacy_xls_as_eNMS_exports_it_is_previewed_with_every_problem_and_nothing_written()
    {
        await using var file = File.OpenRead(FixturePath("legacy-inventory.xls"));
        var report = await Import(file, "legacy-inventory.xls", commit: false);

        Assert.False(report.Committed);
        Assert.Equal(2, report.Devices.Created);
        Assert.Equal(4, report.Devices.Skipped);
        Assert.Equal(1, report.Links.Created);
        Assert.Equal(1, report.Links.Skipped);
        Assert.Equal(1, report.CredentialsCreated);
        Assert.Contains(report.Problems, p => p is { Sheet: "device", Row: 4, Column: "latitude" } && p.Reason.Contains("38,.,89511", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p is { Sheet: "device", Row: 5, Column: "name" });
        Assert.Contains(report.Problems, p => p is { Sheet: "device", Row: 6, Column: "name" } && p.Reason.Contains("first at row 3", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p is { Sheet: "device", Row: 7, Column: "port" } && p.Reason.Contains("22.5", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p is { Sheet: "link", Row: 3, Column: "destination_name" } && p.Reason.Contains("nowhere-edge", StringComparison.Ordinal));
        await using var db = _db.CreateDbContext();
        Assert.Equal(0, await db.Devices.CountAsync());
        Assert.Equal(0, await db.Credentials.CountAsync());
    }

    [Fact]
    public async Task Legacy_xls_commit_maps_eNMS_columns_and_turns_logins_into_one_encrypted_credential()
    {
        await using var file = File.OpenRead(FixturePath("legacy-inventory.xls"));
        var report = await Import(file, "legacy-inventory.xls");

        Assert.True(report.Committed);
        await using var db = _db.CreateDbContext();
        var lisbon = await db.Devices.Include(d => d.Credential).SingleAsync(d => d.Name == "lisbon-edge");
        Assert.Equal(("10.10.0.1", 22, "cisco_ios", "Cisco"), (lisbon.Address, lisbon.Port, lisbon.Platform, lisbon.Vendor));
        Assert.Equal(38.7223, lisbon.Latitude);
        var porto = await db.Devices.SingleAsync(d => d.Name == "porto-edge");
        Assert.Equal("cisco_ios", porto.Platform); // derived from operating_system: the sheet left netmiko_driver empty
        Assert.Equal(22, porto.Port); // "22.0" stored as text
        Assert.Equal(lisbon.CredentialId, porto.CredentialId);
        var credential = lisbon.Credential!;
        Assert.Equal("admin", credential.Username);
        Assert.NotEqual("s3cret-lisbon", credential.ProtectedPassword);
        Assert.Equal("s3cret-lisbon", TestDatabase.Secrets.Unprotect(credential.ProtectedPassword!));
        Assert.Equal("en-lisbon", TestDatabase.Secrets.Unprotect(credential.ProtectedEnableSecret!));
        Assert.DoesNotContain(lisbon.CustomProperties, p => p.Name is "password" or "username" or "enable_password");
        Assert.Contains(lisbon.CustomProperties, p => p is { Name: "subtype", Value: "router" });
        var link = await db.Links.Include(l => l.Source).Include(l => l.Destination).SingleAsync();
        Assert.Equal(("lisbon-porto", "lisbon-edge", "porto-edge", "#d4222a"), (link.Name, link.Source!.Name, link.Destination!.Name, link.Color));
    }

    [Fact]
    public async Task Importing_the_same_file_twice_reports_everything_unchanged()
    {
        await Import(Devices(Row("r1", "10.0.0.1", 22, 48.85, 2.35, "cisco_ios", "PAR1")));
        var second = await Import(Devices(Row("r1", "10.0.0.1", 22, 48.85, 2.35, "cisco_ios", "PAR1")));
        Assert.Equal((0, 0, 1), (second.Devices.Created, second.Devices.Updated, second.Devices.Unchanged));
    }

    [Fact]
    public async Task A_changed_row_updates_only_the_columns_the_file_has()
    {
        await Import(Xlsx(("device", [Row("name", "ip_address", "vendor"), Row("r1", "10.0.0.1", "Cisco")])));
        var report = await Import(Xlsx(("device", [Row("name", "ip_address"), Row("r1", "10.0.0.9")])));
        Assert.Equal(1, report.Devices.Updated);
        await using var db = _db.CreateDbContext();
        var device = await db.Devices.SingleAsync();
        Assert.Equal(("10.0.0.9", "Cisco"), (device.Address, device.Vendor));
    }

    [Fact]
    public async Task Unknown_columns_become_typed_custom_properties()
    {
        await Import(Xlsx(("device", [Row("name", "rack", "in_service", "site_code"), Row("r1", 12.0, true, "007")])));
        await using var db = _db.CreateDbContext();
        var properties = (await db.Devices.SingleAsync()).CustomProperties.ToDictionary(p => p.Name);
        Assert.Equal((PropertyKind.Number, "12"), (properties["rack"].Kind, properties["rack"].Value));
        Assert.Equal((PropertyKind.Boolean, "true"), (properties["in_service"].Kind, properties["in_service"].Value));
        Assert.Equal((PropertyKind.Text, "007"), (properties["site_code"].Kind, properties["site_code"].Value));
    }

    [Fact]
    public async Task Replace_mode_removes_what_the_file_no_longer_has_but_only_for_its_sheets()
    {
        await Import(Xlsx(
            ("device", [Row("name"), Row("a"), Row("b"), Row("c")]),
            ("link", [Row("name", "source_name", "destination_name"), Row("a-b", "a", "b")])));
        var file = Xlsx(("device", [Row("name"), Row("a"), Row("b")])).ToArray();
        var preview = await Import(new MemoryStream(file), commit: false, replace: true);
        Assert.Equal(1, preview.Devices.Deleted);
        Assert.Equal(0, preview.Links.Deleted);
        await _importer.ImportAsync(new MemoryStream(file), "inventory.xlsx", new ImportOptions(true, true, preview.ReplaceToken), CancellationToken.None);
        await using var db = _db.CreateDbContext();
        Assert.Equal(["a", "b"], await db.Devices.OrderBy(d => d.Name).Select(d => d.Name).ToListAsync());
        Assert.Equal(1, await db.Links.CountAsync());
    }

    [Fact]
    public async Task Csv_files_import_devices_and_links_by_their_columns()
    {
        var devices = new MemoryStream("name,ip_address,port\nr1,10.0.0.1,22\nr2,10.0.0.2,2222\n"u8.ToArray());
        var links = new MemoryStream("name,source_name,destination_name\nr1-r2,r1,r2\n"u8.ToArray());
        Assert.Equal(2, (await Import(devices, "devices.csv")).Devices.Created);
        Assert.Equal(1, (await Import(links, "export.csv")).Links.Created);
        await using var db = _db.CreateDbContext();
        Assert.Equal(2222, (await db.Devices.SingleAsync(d => d.Name == "r2")).Port);
    }

    [Fact]
    public async Task Port_23_devices_become_telnet_only_when_a_transport_or_protocol_column_says_so()
    {
        var sheet = new MemoryStream(System.Text.Encoding.UTF8.GetBytes("name,ip_address,port,protocol\n" +
            "old-switch,10.0.0.1,23.0,telnet\n" +      // eNMS sheets store ports as numbers
            "term-server,10.0.0.2,,Telnet\n" +         // no port: Telnet's own
            "ssh-on-23,10.0.0.3,23,ssh\n" +
            "plain,10.0.0.4,,\n"));
        var withoutColumn = new MemoryStream("name,ip_address,port\nnot-told,10.0.0.5,23\n"u8.ToArray());
        var netmikoKey = new MemoryStream("name,ip_address,netmiko_driver\nlegacy,10.0.0.6,cisco_ios_telnet\n"u8.ToArray());
        var bad = new MemoryStream("name,ip_address,transport\nbogus,10.0.0.7,rlogin\n"u8.ToArray());

        Assert.Equal(4, (await Import(sheet, "devices.csv")).Devices.Created);
        Assert.Equal(1, (await Import(withoutColumn, "devices.csv")).Devices.Created);
        Assert.Equal(1, (await Import(netmikoKey, "devices.csv")).Devices.Created);
        var refused = await Import(bad, "devices.csv");

        await using var db = _db.CreateDbContext();
        var devices = await db.Devices.ToDictionaryAsync(d => d.Name);
        Assert.Equal(("telnet", 23), (devices["old-switch"].Transport, devices["old-switch"].Port));
        Assert.Equal(("telnet", 23), (devices["term-server"].Transport, devices["term-server"].Port));
        Assert.Equal(("ssh", 23), (devices["ssh-on-23"].Transport, devices["ssh-on-23"].Port));
        Assert.Equal(("ssh", 22), (devices["plain"].Transport, devices["plain"].Port));
        Assert.Equal(("ssh", 23), (devices["not-told"].Transport, devices["not-told"].Port));
        Assert.Equal(("telnet", 23, "cisco_ios"), (devices["legacy"].Transport, devices["legacy"].Port, devices["legacy"].Platform));
        var problem = Assert.Single(refused.Problems);
        Assert.Equal(("transport", "'rlogin' is not a transport (ssh or telnet)"), (problem.Column, problem.Reason));
    }

    [Fact]
    public async Task Netmiko_and_napalm_names_map_onto_platforms_and_a_platform_without_a_driver_is_told_with_its_row()
    {
        var sheet = "name,ip_address,netmiko_driver,napalm_driver,operating_system\n" +
            "xe1,10.0.0.1,cisco_xe,,\n" +          // Netmiko's alias
            "nx1,10.0.0.2,,nxos_ssh,\n" +          // netmiko_driver left empty: NAPALM's name says it
            "eos1,10.0.0.3,,EOS,\n" +
            "fw1,10.0.0.4,,cumulus,\n" +          // row 5: NAPALM names a platform without a driver
            "pan1,10.0.0.5,,,EdgeOS\n" +           // row 6: so does the operating system
            "tel1,10.0.0.6,juniper_telnet,,\n" +   // an alias's Telnet variant
            "sw2,10.0.0.7,cisco_wlc,,\n" +         // row 8: the platform column itself
            "xr1,10.0.0.9,,iosxr,\n" +             // NAPALM's IOS XR driver
            "xr2,10.0.0.10,,,ios-xr\n" +           // IOS XR as an operating system
            "xr3,10.0.0.11,cisco_xr_telnet,,\n" +  // the Telnet variant of its Netmiko key
            "host1,10.0.0.8,,,Ubuntu 24.04\n" +    // free text: no platform claimed, nothing to say
            "vrp1,10.0.0.12,,huawei_vrp,\n" +      // the community NAPALM driver's name
            "cw1,10.0.0.13,,,Comware\n" +          // operating systems of the platforms added as profiles
            "vy1,10.0.0.14,,,vyos\n" +
            "cx1,10.0.0.15,,,AOS-CX\n" +
            "fg1,10.0.0.16,,fortios,\n" +
            "fg2,10.0.0.17,,,FortiOS\n" +
            "pa1,10.0.0.18,,panos,\n" +
            "pa2,10.0.0.19,,,PAN-OS\n" +
            "pc1,10.0.0.20,,,ProCurve\n" +
            "pc2,10.0.0.21,,procurve,\n" +
            "os1,10.0.0.22,,dellos10,\n" +
            "os2,10.0.0.23,,,OS10\n" +
            "es1,10.0.0.24,,,EdgeSwitch\n" +
            "sr1,10.0.0.25,,sros,\n" +
            "sr2,10.0.0.26,,,TiMOS\n" +
            "ex1,10.0.0.27,,,EXOS\n";

        var preview = await Import(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(sheet)), "devices.csv", commit: false);
        var report = await Import(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(sheet)), "devices.csv");

        var problem = Assert.Single(preview.Problems);
        Assert.Equal((8, "netmiko_driver"), (problem.Row, problem.Column));
        Assert.StartsWith("'cisco_wlc' is not a platform eNMS has a driver for", problem.Reason, StringComparison.Ordinal);
        var sheetName = problem.Sheet;
        Assert.Equal(2, preview.Notes.Count(n => n.Contains("without a platform", StringComparison.Ordinal)));
        Assert.Contains(preview.Notes, n => n.StartsWith($"{sheetName} row 5 ('fw1'): napalm_driver 'cumulus' is not a NAPALM driver of a platform eNMS has a driver for", StringComparison.Ordinal)
            && n.EndsWith("; imported without a platform", StringComparison.Ordinal));
        Assert.Contains($"{sheetName} row 6 ('pan1'): operating_system 'EdgeOS' means platform 'ubiquiti_edgerouter', which eNMS has no driver for; imported without a platform", preview.Notes);
        Assert.Equal(26, report.Devices.Created);
        await using var db = _db.CreateDbContext();
        var devices = await db.Devices.ToDictionaryAsync(d => d.Name);
        Assert.Equal(("cisco_ios", "cisco_nxos", "arista_eos", "", "", "juniper_junos", ""),
            (devices["xe1"].Platform, devices["nx1"].Platform, devices["eos1"].Platform, devices["fw1"].Platform, devices["pan1"].Platform,
                devices["tel1"].Platform, devices["host1"].Platform));
        Assert.Equal("telnet", devices["tel1"].Transport);
        Assert.False(devices.ContainsKey("sw2"));
        Assert.Equal(("huawei", "hp_comware", "vyos", "aruba_aoscx"),
            (devices["vrp1"].Platform, devices["cw1"].Platform, devices["vy1"].Platform, devices["cx1"].Platform));
        Assert.Equal(("fortinet", "fortinet", "paloalto_panos", "paloalto_panos"),
            (devices["fg1"].Platform, devices["fg2"].Platform, devices["pa1"].Platform, devices["pa2"].Platform));
        Assert.Equal(("hp_procurve", "hp_procurve", "dell_os10", "dell_os10"),
            (devices["pc1"].Platform, devices["pc2"].Platform, devices["os1"].Platform, devices["os2"].Platform));
        Assert.Equal("ubiquiti_edge", devices["es1"].Platform);
        Assert.Equal(("nokia_sros", "nokia_sros", "extreme_exos"), (devices["sr1"].Platform, devices["sr2"].Platform, devices["ex1"].Platform));
        Assert.Equal(("cisco_xr", "cisco_xr", "cisco_xr", "telnet"),
            (devices["xr1"].Platform, devices["xr2"].Platform, devices["xr3"].Platform, devices["xr3"].Transport));
    }

    [Fact]
    public async Task Gateways_name_devices_in_priority_order_and_a_reimport_changing_only_them_is_an_update()
    {
        var sheet = "name,ip_address,transport,gateways\n" +
            "gw1,10.0.0.1,ssh,\n" +
            "gw2,10.0.0.2,ssh,\n" +
            "ts,10.0.0.9,telnet,\n" +
            "r1,10.0.0.3,ssh,\"gw2,gw1\"\n" +
            "r2,10.0.0.4,telnet,['gw1']\n" +
            "bad,10.0.0.5,ssh,nope\n" +
            "loop,10.0.0.6,ssh,loop\n" +
            "via-telnet,10.0.0.7,ssh,ts\n";

        var report = await Import(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(sheet)), "devices.csv");
        var again = await Import(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(sheet.Replace("\"gw2,gw1\"", "gw1", StringComparison.Ordinal))), "devices.csv");

        Assert.Equal(8, report.Devices.Created);
        Assert.Equal(
            [("bad", "no device is named 'nope'"), ("loop", "a device cannot be its own gateway"), ("via-telnet", "ts is reached over Telnet: a gateway is an SSH host")],
            report.Problems.Select(p => (p.Row switch { 7 => "bad", 8 => "loop", 9 => "via-telnet", _ => p.Row.ToString(System.Globalization.CultureInfo.InvariantCulture) }, p.Reason)).ToList());
        Assert.True(report.Problems.All(p => p.Column == "gateways"));
        Assert.Equal(1, again.Devices.Updated);
        await using var db = _db.CreateDbContext();
        var gateways = await db.DeviceGateways.Include(g => g.Device).Include(g => g.Gateway).OrderBy(g => g.Priority).ToListAsync();
        Assert.Equal(["gw1"], gateways.Where(g => g.Device!.Name == "r1").Select(g => g.Gateway!.Name));
        Assert.Equal(["gw1"], gateways.Where(g => g.Device!.Name == "r2").Select(g => g.Gateway!.Name));
        Assert.Equal(2, gateways.Count);
    }

    [Fact]
    public async Task Gateways_are_kept_in_priority_order()
    {
        var sheet = "name,gateways\ngw1,\ngw2,\nr1,\"gw2, gw1\"\n";

        await Import(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(sheet)), "devices.csv");

        await using var db = _db.CreateDbContext();
        Assert.Equal(["gw2", "gw1"], await db.DeviceGateways.Where(g => g.Device!.Name == "r1").OrderBy(g => g.Priority).Select(g => g.Gateway!.Name).ToListAsync());
    }

    [Fact]
    public async Task A_file_that_is_not_a_spreadsheet_is_refused_with_its_name()
    {
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Import(new MemoryStream("not a workbook"u8.ToArray()), "devices.xlsx"));
        Assert.Contains("devices.xlsx", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidDataException>(() => Import(new MemoryStream(), "devices.txt"));
    }

    [Fact]
    public async Task Dynamic_pools_follow_an_import()
    {
        await using (var db = _db.CreateDbContext())
        {
            db.Pools.Add(new Pool { Name = "ios", Criteria = [new PoolCriterion { Property = "platform", Value = "cisco_ios" }] });
            await db.SaveChangesAsync();
        }
        await Import(Devices(Row("r1", "10.0.0.1", 22, null, null, "cisco_ios", null), Row("r2", "10.0.0.2", 22, null, null, "arista_eos", null)));
        await using var check = _db.CreateDbContext();
        var pool = await check.Pools.Include(p => p.Devices).SingleAsync();
        Assert.Equal(["r1"], pool.Devices.Select(d => d.Name));
    }
}
