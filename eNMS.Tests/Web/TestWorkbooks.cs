using ClosedXML.Excel;

namespace eNMS.Tests.Web;

/// <summary>Spreadsheets built in the test, in eNMS's sheet format.</summary>
public static class TestWorkbooks
{
    /// <summary>Sheet "device": a header row, then the given rows (row 2 onwards).</summary>
    public static byte[] Devices(string[] columns, params object[][] rows)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        using var workbook = new XLWorkbook();
        var sheet = workbook.Worksheets.Add("device");
        for (var c = 0; c < columns.Length; c++)
        {
            sheet.Cell(1, c + 1).Value = columns[c];
        }
        for (var r = 0; r < rows.Length; r++)
        {
            for (var c = 0; c < rows[r].Length; c++)
            {
                sheet.Cell(r + 2, c + 1).Value = rows[r][c];
            }
        }
        using var stream = new MemoryStream();
        workbook.SaveAs(stream);
        return stream.ToArray();
    }

    /// <summary>Five devices, two of them bad: row 3 has port 99999, row 5 has no name.</summary>
    public static byte[] WithBadRows() => Devices(
        ["name", "ip_address", "port", "vendor"],
        ["edge-1", "192.0.2.1", 22, "Cisco"],
        ["edge-2", "192.0.2.2", 99999, "Cisco"],
        ["core-1", "192.0.2.3", 22, "Arista"],
        ["", "192.0.2.4", 22, "Arista"],
        ["core-2", "192.0.2.5", 830, "Juniper"]);
}
