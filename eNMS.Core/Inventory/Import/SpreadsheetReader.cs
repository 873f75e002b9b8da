using System.Globalization;
using System.Text;
using ExcelDataReader;

namespace eNMS.Core.Inventory.Import;

/// <summary>One cell as text, with the kind the spreadsheet stored it as (numbers stay numbers), and the text the
/// sheet shows for it: a number cell formatted "0.0" holds 15 and shows "15.0", which is what a text field keeps.</summary>
public readonly record struct Cell(string Text, PropertyKind Kind, string Shown)
{
    public Cell(string text, PropertyKind kind)
        : this(text, kind, text)
    {
    }
}

/// <summary>A data row: its 1-based row number as a spreadsheet shows it, and its non-empty cells by column.</summary>
public sealed record SheetRow(string Sheet, int Number, IReadOnlyDictionary<string, Cell> Cells);

/// <summary>
/// Streams the rows of an .xlsx, a legacy .xls (what eNMS itself exports) or a .csv file, sheet by sheet; the
/// first row of each sheet holds the column names. Nothing is loaded whole: rows are read one at a time.
/// </summary>
public static class SpreadsheetReader
{
    static SpreadsheetReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static readonly string[] SupportedExtensions = [".xlsx", ".xls", ".csv"];

    /// <exception cref="InvalidDataException">The file is not a readable spreadsheet.</exception>
    /// <param name="stream">The file's content.</param>
    /// <param name="fileName">Its name: the extension says the format (a CSV's sheet is told by its columns).</param>
    /// <param name="notes">What a reader should know about how the file was read (encoding, which sheet a CSV is).</param>
    public static IEnumerable<SheetRow> Read(Stream stream, string fileName, ICollection<string> notes)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (!SupportedExtensions.Contains(extension))
        {
            throw new InvalidDataException($"'{fileName}' is not a spreadsheet eNMS reads: use .xlsx, .xls or .csv.");
        }
        return extension == ".csv"
            ? ReadRows(CsvText.ToUtf8(stream, fileName, notes), fileName, isCsv: true, notes)
            : ReadRows(stream, fileName, isCsv: false, notes);
    }

    private static IEnumerable<SheetRow> ReadRows(Stream stream, string fileName, bool isCsv, ICollection<string> notes)
    {
        using var reader = Open(stream, fileName, isCsv);
        do
        {
            var sheet = isCsv ? "device" : reader.Name ?? "";
            string[]? header = null;
            var rowNumber = 0;
            while (true)
            {
                bool more;
                try
                {
                    more = reader.Read();
                }
                catch (Exception e) when (e is not InvalidDataException and not OperationCanceledException)
                {
                    throw new InvalidDataException($"'{fileName}' sheet '{sheet}' row {rowNumber + 1} cannot be read: {e.Message}", e);
                }
                if (!more)
                {
                    break;
                }
                rowNumber++;
                if (header is null)
                {
                    header = ReadHeader(reader);
                    if (isCsv)
                    {
                        (sheet, var why) = CsvText.SheetOf(header);
                        notes.Add($"'{fileName}' was read as the {sheet} sheet: {why}.");
                    }
                    continue;
                }
                var cells = new Dictionary<string, Cell>(StringComparer.OrdinalIgnoreCase);
                for (var i = 0; i < header.Length && i < reader.FieldCount; i++)
                {
                    if (header[i].Length == 0 || cells.ContainsKey(header[i]))
                    {
                        continue;
                    }
                    var cell = ToCell(reader.GetValue(i), reader, i);
                    if (cell.Text.Length > 0)
                    {
                        cells[header[i]] = cell;
                    }
                }
                if (cells.Count > 0)
                {
                    yield return new SheetRow(sheet, rowNumber, cells);
                }
            }
        }
        while (!isCsv && reader.NextResult());
    }

    private static IExcelDataReader Open(Stream stream, string fileName, bool isCsv)
    {
        try
        {
            return isCsv
                ? ExcelReaderFactory.CreateCsvReader(stream, new ExcelReaderConfiguration { FallbackEncoding = Encoding.UTF8 })
                : ExcelReaderFactory.CreateReader(stream);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidDataException($"'{fileName}' cannot be opened as a spreadsheet: {e.Message}", e);
        }
    }

    private static string[] ReadHeader(IExcelDataReader reader)
    {
        var header = new string[reader.FieldCount];
        for (var i = 0; i < header.Length; i++)
        {
            header[i] = (Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? "").Trim();
        }
        return header;
    }

    private static Cell ToCell(object? value, IExcelDataReader reader, int column) => value switch
    {
        null or DBNull => new Cell("", PropertyKind.Text),
        double d => new Cell(d.ToString("R", CultureInfo.InvariantCulture), PropertyKind.Number, NumberShown(d, reader, column)),
        int or long or float or decimal => new Cell(Convert.ToString(value, CultureInfo.InvariantCulture)!, PropertyKind.Number),
        bool b => new Cell(b ? "true" : "false", PropertyKind.Boolean),
        DateTime dt => new Cell(dt.ToString("s", CultureInfo.InvariantCulture), PropertyKind.Text),
        _ => new Cell((Convert.ToString(value, CultureInfo.InvariantCulture) ?? "").Trim(), PropertyKind.Text),
    };

    private static string NumberShown(double value, IExcelDataReader reader, int column)
    {
        string? format;
        try
        {
            format = reader.GetNumberFormatString(column);
        }
        catch (Exception e) when (e is NotSupportedException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            format = null;
        }
        return ExcelNumberFormat.Show(value, format);
    }
}
