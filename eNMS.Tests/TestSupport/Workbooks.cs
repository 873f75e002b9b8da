using ClosedXML.Excel;

namespace eNMS.Tests.TestSupport;

/// <summary>Builds small spreadsheets in memory for import tests: a sheet is its name and rows (first = header).</summary>
public static class Workbooks
{
    public static MemoryStream Xlsx(params (string Sheet, object?[][] Rows)[] sheets)
    {
        using var workbook = new XLWorkbook();
        foreach (var (name, rows) in sheets)
        {
            var sheet = workbook.Worksheets.Add(name);
            for (var r = 0; r < rows.Length; r++)
            {
                for (var c = 0; c < rows[r].Length; c++)
                {
                    var cell = sheet.Cell(r + 1, c + 1);
                    switch (rows[r][c])
                    {
                        case null: break;
                        case double d: cell.SetValue(d); break;
                        case Formatted f:
                            cell.SetValue(f.Value);
                            cell.Style.NumberFormat.Format = f.Format;
                            break;
                        case int i: cell.SetValue(i); break;
                        case bool b: cell.SetValue(b); break;
                        case string s:
                            cell.SetValue(s);
                            cell.DataType = XLDataType.Text;
                            break;
                        default: throw new ArgumentException($"unsupported cell value {rows[r][c]}");
                    }
                }
            }
        }
        var stream = new MemoryStream();
        workbook.SaveAs(stream);
        stream.Position = 0;
        return stream;
    }

    public static object?[] Row(params object?[] cells) => cells;

    /// <summary>A number cell with an Excel number format: 15 formatted "0.0" shows "15.0".</summary>
    public sealed record Formatted(double Value, string Format);

    public static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
}
