using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Inventory.Editing;
using eNMS.Core.Inventory.Import;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using static eNMS.Tests.TestSupport.Workbooks;

namespace eNMS.Tests.Core.Inventory;

/// <summary>One field catalog: the import, the editor (forms and API) and the database columns give the same answer.</summary>
public abstract class InventoryFieldRulesTests
{
    protected abstract IDbContextFactory<EnmsDbContext> Database { get; }

    private InventoryImporter Importer => new(Database, new ImportCredentials(TestDatabase.Secrets), new eNMS.Core.Security.AuditLog(Database, TimeProvider.System));

    private Task<ImportReport> Import(Stream file, bool commit) =>
        Importer.ImportAsync(file, "inventory.xlsx", new ImportOptions(commit), CancellationToken.None);

    [Fact]
    public async Task A_name_longer_than_its_column_is_a_problem_in_the_preview_and_the_commit_writes_the_other_rows()
    {
        // A CSV: an Excel cell holds at most 32,767 characters.
        var csv = System.Text.Encoding.UTF8.GetBytes($"name,ip_address\n{new string('x', 100_000)},10.0.0.1\nr1,10.0.0.2\n");
        Stream File() => new MemoryStream(csv);

        var preview = await Importer.ImportAsync(File(), "devices.csv", new ImportOptions(), CancellationToken.None);
        Assert.Contains(preview.Problems, p => p is { Row: 2, Column: "name" } && p.Reason.Contains("at most 255", StringComparison.Ordinal));

        var commit = await Importer.ImportAsync(File(), "devices.csv", new ImportOptions(Commit: true), CancellationToken.None);
        Assert.True(commit.Committed);
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(["r1"], await db.Devices.Select(d => d.Name).ToListAsync());
    }

    [Theory]
    [InlineData("ip_address", "999.1.1.1")]
    [InlineData("ip_address", "10.0.0")]
    [InlineData("ip_address", "not an address")]
    [InlineData("netmiko_driver", "not_a_platform")]
    public async Task Bad_formats_are_refused_by_the_import_and_the_editor_for_the_same_reason(string column, string value)
    {
        var report = await Import(Xlsx(("device", [Row("name", column), Row("r1", value)])), commit: false);
        var problem = Assert.Single(report.Problems);
        Assert.Equal(column, problem.Column);

        var field = InventoryFields.Device.Find(column)!;
        var input = new DeviceInput { Name = "r1" };
        var edit = await new InventoryEditor(Database, TestDatabase.Secrets).SaveDeviceAsync(With(input, field.Key, value), CancellationToken.None);
        Assert.False(edit.Succeeded);
        Assert.Contains(problem.Reason, edit.Errors[field.Key], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_numeric_address_cell_is_not_an_address()
    {
        var report = await Import(Xlsx(("device", [Row("name", "ip_address"), Row("r1", 1.0)])), commit: false);
        Assert.Contains(report.Problems, p => p is { Column: "ip_address" } && p.Reason.Contains("'1'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_link_colour_must_be_rrggbb()
    {
        var report = await Import(Xlsx(
            ("device", [Row("name"), Row("a"), Row("b")]),
            ("link", [Row("name", "source_name", "destination_name", "color"), Row("a-b", "a", "b", "#22b90"), Row("b-a", "b", "a", "#22B90A")])), commit: false);
        Assert.Contains(report.Problems, p => p is { Sheet: "link", Row: 2, Column: "color" });
        Assert.Equal(1, report.Links.Created);
        var edit = await new InventoryEditor(Database, TestDatabase.Secrets)
            .SaveLinkAsync(new LinkInput { Name = "x", Color = "#22b90" }, CancellationToken.None);
        Assert.Contains("#rrggbb", edit.Errors["color"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_colour_may_be_a_css_colour_name_or_rgb_and_is_stored_as_rrggbb_while_a_bad_one_names_its_row_and_field()
    {
        var report = await Import(Xlsx(
            ("device", [Row("name"), Row("a"), Row("b")]),
            ("link", [Row("name", "source_name", "destination_name", "color"), Row("a-b", "a", "b", "Teal"), Row("b-a", "b", "a", "#F0a"),
                Row("a-a", "a", "a", "ActiveBorder"), Row("b-b", "b", "b", "transparent")])), commit: true);
        // Windows system colours and transparent are not colours a link can be drawn in.
        Assert.Equal([4, 5], report.Problems.Where(p => p is { Sheet: "link", Column: "color" }).Select(p => p.Row).Order());
        Assert.All(report.Problems.Where(p => p.Column == "color"), p => Assert.Contains("CSS colour name", p.Reason, StringComparison.Ordinal));
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(["#008080", "#ff00aa"], await db.Links.OrderBy(l => l.Name).Select(l => l.Color).ToListAsync());
    }

    [Fact]
    public async Task Platform_aliases_are_stored_as_the_drivers_key()
    {
        await Import(Xlsx(("device", [Row("name", "netmiko_driver"), Row("r1", "cisco_xe")])), commit: true);
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal("cisco_ios", (await db.Devices.SingleAsync()).Platform);
    }

    [Fact]
    public async Task Every_text_column_is_as_long_as_the_catalog_says()
    {
        await using var db = await Database.CreateDbContextAsync();
        var device = db.Model.FindEntityType(typeof(Device))!;
        var link = db.Model.FindEntityType(typeof(Link))!;
        Assert.All(InventoryFields.Device.All, f => Assert.Equal(f.MaxLength, device.FindProperty(f.Property)!.GetMaxLength()));
        Assert.All(InventoryFields.Link.All, f => Assert.Equal(f.MaxLength, link.FindProperty(f.Property)!.GetMaxLength()));
    }

    private static DeviceInput With(DeviceInput input, string key, string value)
    {
        switch (key)
        {
            case "address": input.Address = value; break;
            case "platform": input.Platform = value; break;
            default: throw new ArgumentException(key);
        }
        return input;
    }
}

public sealed class InventoryFieldRulesOnSqliteTests : InventoryFieldRulesTests, IDisposable
{
    private readonly TestDatabase _db = new();

    protected override IDbContextFactory<EnmsDbContext> Database => _db;

    public void Dispose() => _db.Dispose();
}

[Collection(PostgresTests.Name)]
public sealed class InventoryFieldRulesOnPostgresTests(PostgresServer postgres) : InventoryFieldRulesTests
{
    private readonly IDbContextFactory<EnmsDbContext> _database = postgres.NewMigratedDatabase();

    protected override IDbContextFactory<EnmsDbContext> Database => _database;
}
