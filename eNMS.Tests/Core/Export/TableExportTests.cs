using System.Text;
using ClosedXML.Excel;
using eNMS.Core.Export;

namespace eNMS.Tests.Core.Export;

public sealed class TableExportTests
{
    private static readonly TableColumn[] Columns = [new("name", "Name"), new("os_version", "OS version"), new("description", "Description")];

    private static Dictionary<string, string> Row(string name, string version, string description) =>
        new() { ["name"] = name, ["os_version"] = version, ["description"] = description };

    [Fact]
    public void Csv_quotes_fields_and_defuses_formulas()
    {
        var file = TableExport.Write("devices", TableExportFormat.Csv, Columns,
            [Row("paris-core", "15.0", "core, \"main\"\nrouter"), Row("=HYPERLINK(\"x\")", "-3.5", "-cmd"), Row("@sum", "+1", "")]);

        var text = Encoding.UTF8.GetString(file.Content);
        Assert.StartsWith("\uFEFF", text, StringComparison.Ordinal);
        Assert.Equal(
            "Name,OS version,Description\r\n" +
            "paris-core,15.0,\"core, \"\"main\"\"\nrouter\"\r\n" +
            "\"'=HYPERLINK(\"\"x\"\")\",-3.5,'-cmd\r\n" +
            "'@sum,'+1,\r\n",
            text[1..]);
        Assert.Equal(("devices.csv", "text/csv", 3, false), (file.FileName, file.ContentType, file.Rows, file.Truncated));
    }

    [Fact]
    public void Xlsx_keeps_the_text_the_grid_shows()
    {
        var file = TableExport.Write("devices", TableExportFormat.Xlsx, Columns, [Row("r1", "15.0", "007"), Row("r2", "1.10", "")]);

        using var workbook = new XLWorkbook(new MemoryStream(file.Content));
        var sheet = workbook.Worksheet("devices");
        Assert.Equal(["Name", "OS version", "Description"], Enumerable.Range(1, 3).Select(c => sheet.Cell(1, c).GetString()));
        Assert.Equal(["15.0", "1.10"], [sheet.Cell(2, 2).GetString(), sheet.Cell(3, 2).GetString()]);
        Assert.Equal("007", sheet.Cell(2, 3).GetString());
        Assert.Equal(XLDataType.Text, sheet.Cell(2, 2).DataType);
    }

    [Fact]
    public void Secret_columns_are_never_written_whatever_the_grid_asks()
    {
        TableColumn[] columns = [new("name", "Name"), new("password", "Password"), new("enable_secret", "Enable"), new("x", "API token")];
        var row = new Dictionary<string, string> { ["name"] = "r1", ["password"] = "hunter2", ["enable_secret"] = "s3cret", ["x"] = "tok" };

        var csv = Encoding.UTF8.GetString(TableExport.Write("devices", TableExportFormat.Csv, columns, [row]).Content);
        var xlsx = TableExport.Write("devices", TableExportFormat.Xlsx, columns, [row]);

        Assert.Equal("Name\r\nr1\r\n", csv[1..]);
        using var workbook = new XLWorkbook(new MemoryStream(xlsx.Content));
        Assert.Equal(1, workbook.Worksheet("devices").LastColumnUsed().ColumnNumber());
    }

    [Fact]
    public void Rows_are_bounded_and_a_cut_export_says_so()
    {
        var rows = Enumerable.Range(0, TableExport.MaxRows + 5).Select(i => Row($"r{i}", "", ""));

        var cut = TableExport.Write("devices", TableExportFormat.Csv, Columns, rows, total: 50_000);
        var whole = TableExport.Write("devices", TableExportFormat.Csv, Columns, [Row("r1", "", "")], total: 1);

        Assert.Equal((TableExport.MaxRows, true), (cut.Rows, cut.Truncated));
        Assert.Equal(TableExport.MaxRows + 1, Encoding.UTF8.GetString(cut.Content).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.False(whole.Truncated);
    }
}
