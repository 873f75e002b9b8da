using System.Text;
using eNMS.Core.Inventory.Import;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using static eNMS.Tests.TestSupport.Workbooks;

namespace eNMS.Tests.Core.Inventory;

/// <summary>How a file is read: a CSV by its columns and bytes, numbers as the sheet shows them, empty files said.</summary>
public sealed class InventoryFileFormatTests : IDisposable
{
    private readonly TestDatabase _db = new();
    private readonly InventoryImporter _importer;

    public InventoryFileFormatTests() => _importer = new InventoryImporter(_db, new ImportCredentials(TestDatabase.Secrets), new eNMS.Core.Security.AuditLog(_db, TimeProvider.System));

    public void Dispose() => _db.Dispose();

    private Task<ImportReport> Import(byte[] file, string name, bool commit = true) =>
        _importer.ImportAsync(new MemoryStream(file), name, new ImportOptions(commit), CancellationToken.None);

    [Theory]
    [InlineData("core-pool.csv")]
    [InlineData("uplinks.csv")]
    public async Task A_csv_is_what_its_columns_say_whatever_its_name(string fileName)
    {
        var report = await Import("name,ip_address\nr1,10.0.0.1\n"u8.ToArray(), fileName);

        Assert.Equal(["device"], report.Sheets);
        Assert.Equal(1, report.Devices.Created);
        Assert.Contains(report.Notes, n => n.Contains($"'{fileName}' was read as the device sheet", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_csv_with_criteria_is_the_pool_sheet_and_one_with_source_name_the_link_sheet()
    {
        await Import("name\nr1\nr2\n"u8.ToArray(), "devices.csv");
        var links = await Import("name,source_name,destination_name\nr1-r2,r1,r2\n"u8.ToArray(), "devices-2.csv");
        var pools = await Import("name,mode,criteria\nall,dynamic,\n"u8.ToArray(), "devices-3.csv");
        Assert.Equal(["link"], links.Sheets);
        Assert.Equal(1, links.Links.Created);
        Assert.Equal(["pool"], pools.Sheets);
        Assert.Equal(1, pools.Pools.Created);
    }

    [Theory]
    [InlineData("")]
    [InlineData("name,ip_address\n")]
    public async Task An_empty_or_header_only_csv_says_it_has_no_rows(string content)
    {
        var report = await Import(Encoding.UTF8.GetBytes(content), "devices.csv");
        Assert.Contains(report.Notes, n => n.Contains("no rows", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_windows_1252_csv_is_read_as_such_and_the_preview_says_so()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var bytes = Encoding.GetEncoding(1252).GetBytes("name,location\nr1,Orléans–Sud\n");

        var report = await Import(bytes, "devices.csv");

        Assert.Contains(report.Notes, n => n.Contains("Windows-1252", StringComparison.Ordinal));
        await using var db = _db.CreateDbContext();
        Assert.Equal("Orléans–Sud", (await db.Devices.SingleAsync()).Location);
    }

    [Fact]
    public async Task A_numeric_cell_in_a_text_field_keeps_the_text_the_sheet_shows()
    {
        var file = Xlsx(("device", [Row("name", "os_version", "model"), Row("r1", new Formatted(15, "0.0"), 7200.0)]));
        await _importer.ImportAsync(file, "inventory.xlsx", new ImportOptions(Commit: true), CancellationToken.None);
        await using var db = _db.CreateDbContext();
        var device = await db.Devices.SingleAsync();
        Assert.Equal(("15.0", "7200"), (device.OsVersion, device.Model));
    }
}
