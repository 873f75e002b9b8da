using System.Globalization;
using System.Text;
using ExcelDataReader;

namespace eNMS.Core.Inventory.Import;

/// <summary>One cell as text, with the kind the spreadsheet stored it as (numbers stay numbers).</summary>
public readonly record struct Cell(string Text, PropertyKind Kind);

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
    public static IEnumerable<SheetRow> Read(Stream stream, string fileName)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (!SupportedExtensions.Contains(extension))
        {
            throw new InvalidDataException($"'{fileName}' is not a spreadsheet eNMS reads: use .xlsx, .xls or .csv.");
        }
        var csvSheet = extension == ".csv" ? CsvSheetName(fileName) : null;
        return ReadRows(stream, fileName, csvSheet);
    }

    private static IEnumerable<SheetRow> ReadRows(Stream stream, string fileName, string? csvSheet)
    {
        using var reader = Open(stream, fileName, csvSheet);
        do
        {
            var sheet = csvSheet ?? reader.Name ?? "";
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
                    if (csvSheet is not null && header.Contains("source_name", StringComparer.OrdinalIgnoreCase))
                    {
                        sheet = "link";
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
                    var cell = ToCell(reader.GetValue(i));
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
        while (csvSheet is null && reader.NextResult());
    }

    private static IExcelDataReader Open(Stream stream, string fileName, string? csvSheet)
    {
        try
        {
            return csvSheet is null
                ? ExcelReaderFactory.CreateReader(stream)
                : ExcelReaderFactory.CreateCsvReader(stream, new ExcelReaderConfiguration { FallbackEncoding = Encoding.UTF8 });
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

    private static Cell ToCell(object? value) => value switch
    {
        null or DBNull => new Cell("", PropertyKind.Text),
        double d => new Cell(d.ToString("R", CultureInfo.InvariantCulture), PropertyKind.Number),
        int or long or float or decimal => new Cell(Convert.ToString(value, CultureInfo.InvariantCulture)!, PropertyKind.Number),
        bool b => new Cell(b ? "true" : "false", PropertyKind.Boolean),
        DateTime dt => new Cell(dt.ToString("s", CultureInfo.InvariantCulture), PropertyKind.Text),
        _ => new Cell((Convert.ToString(value, CultureInfo.InvariantCulture) ?? "").Trim(), PropertyKind.Text),
    };

    /// <summary>A CSV file holds one sheet: links when it has a source_name column or its name says so (links.csv),
    /// pools when its name says so, devices otherwise.</summary>
    private static string CsvSheetName(string fileName)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName).ToLowerInvariant();
        return stem.Contains("link", StringComparison.Ordinal) ? "link"
            : stem.Contains("pool", StringComparison.Ordinal) ? "pool"
            : "device";
    }
}
