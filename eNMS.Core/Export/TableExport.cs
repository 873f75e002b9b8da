using System.Globalization;
using System.Text;
using ClosedXML.Excel;

namespace eNMS.Core.Export;

public enum TableExportFormat
{
    Csv,
    Xlsx,
}

/// <summary>One column of a table as its grid shows it: a key (the grid's column name) and a header.</summary>
public sealed record TableColumn(string Key, string Header);

/// <summary>A file to hand to the browser.</summary>
public sealed record ExportFile(string FileName, string ContentType, byte[] Content, int Rows, bool Truncated);

/// <summary>
/// Writes what a grid shows (its visible columns, its filtered rows in its order) as CSV or XLSX. Bounded: at most
/// <see cref="MaxRows"/> rows; and a column whose name says it holds a secret (password, key, token, …) is never
/// written, whatever a grid asks for, so a secret cannot leave through an export by a column added later.
/// </summary>
public static class TableExport
{
    public const int MaxRows = 10_000;

    private static readonly string[] SecretWords = ["password", "secret", "passphrase", "token", "private_key", "privatekey", "enable", "community", "api_key", "apikey"];

    /// <summary>Whether a column is kept out of every export.</summary>
    public static bool IsSecret(TableColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return SecretWords.Any(w => column.Key.Contains(w, StringComparison.OrdinalIgnoreCase) || column.Header.Replace(" ", "", StringComparison.Ordinal).Contains(w, StringComparison.OrdinalIgnoreCase));
    }

    /// <param name="name">The file's name without its extension (the grid's name).</param>
    /// <param name="format">CSV (UTF-8 with a BOM) or XLSX (text cells).</param>
    /// <param name="columns">The visible columns, in the grid's order.</param>
    /// <param name="total">How many rows the grid's filters select in all (to tell a cut export).</param>
    /// <param name="rows">Row values by column key (a missing key is an empty cell); read up to <see cref="MaxRows"/>.</param>
    public static ExportFile Write(string name, TableExportFormat format, IReadOnlyList<TableColumn> columns, IEnumerable<IReadOnlyDictionary<string, string>> rows, int? total = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        var kept = columns.Where(c => !IsSecret(c)).ToList();
        var table = rows.Take(MaxRows + 1).Select(r => kept.Select(c => r.GetValueOrDefault(c.Key) ?? "").ToArray()).ToList();
        var truncated = table.Count > MaxRows || (total is int t && t > Math.Min(table.Count, MaxRows));
        if (table.Count > MaxRows)
        {
            table.RemoveAt(MaxRows);
        }
        var headers = kept.Select(c => c.Header).ToArray();
        return format == TableExportFormat.Csv
            ? new ExportFile(name + ".csv", "text/csv", Csv(headers, table), table.Count, truncated)
            : new ExportFile(name + ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Xlsx(name, headers, table), table.Count, truncated);
    }

    private static byte[] Csv(string[] headers, List<string[]> rows)
    {
        var text = new StringBuilder();
        foreach (var line in rows.Prepend(headers))
        {
            text.AppendJoin(',', line.Select(CsvCell)).Append("\r\n");
        }
        // With a BOM, Excel reads the file as UTF-8 (device names and locations are not all ASCII).
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    /// <summary>RFC 4180 quoting; a cell a spreadsheet would run as a formula (=, +, @, or - before a non-number) is
    /// prefixed with an apostrophe (CSV injection: a device description is user data).</summary>
    private static string CsvCell(string value)
    {
        if (value.Length > 0 && (value[0] is '=' or '+' or '@' or '\t' or '\r'
            || (value[0] == '-' && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))))
        {
            value = "'" + value;
        }
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }

    private static byte[] Xlsx(string name, string[] headers, List<string[]> rows)
    {
        using var workbook = new XLWorkbook();
        var sheet = workbook.Worksheets.Add(name.Length is > 0 and <= 31 ? name : "export");
        for (var c = 0; c < headers.Length; c++)
        {
            sheet.Cell(1, c + 1).SetValue(headers[c]);
            sheet.Cell(1, c + 1).Style.Font.Bold = true;
        }
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < headers.Length; c++)
            {
                // Text cells, always: an address or a version such as 15.0 must stay as the grid shows it (ClosedXML
                // 0.95 guesses a type from the text unless the cell is text before and after).
                var cell = sheet.Cell(r + 2, c + 1);
                cell.DataType = XLDataType.Text;
                cell.SetValue(rows[r][c]);
                cell.DataType = XLDataType.Text;
            }
        }
        sheet.SheetView.FreezeRows(1);
        using var output = new MemoryStream();
        workbook.SaveAs(output);
        return output.ToArray();
    }
}
