using System.Text;

namespace eNMS.Core.Inventory.Import;

/// <summary>How a CSV file is decoded and which sheet it is: decided by its bytes and its columns, never its name.</summary>
internal static class CsvText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The CSV as UTF-8. Excel on Windows saves "CSV" in Windows-1252: a file that is not valid UTF-8 is read
    /// as Windows-1252 (every byte means a character there) and the preview says so.</summary>
    public static MemoryStream ToUtf8(Stream stream, string fileName, ICollection<string> notes)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        var start = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        try
        {
            StrictUtf8.GetCharCount(bytes, start, bytes.Length - start);
            return new MemoryStream(bytes, start, bytes.Length - start, writable: false);
        }
        catch (DecoderFallbackException)
        {
            notes.Add($"'{fileName}' is not UTF-8: it was read as Windows-1252 (what Excel on Windows saves). " +
                "If accents look wrong, save it as \"CSV UTF-8\".");
            var text = Encoding.GetEncoding(1252).GetString(bytes);
            return new MemoryStream(Encoding.UTF8.GetBytes(text), writable: false);
        }
    }

    /// <summary>A CSV holds one sheet, told by its columns: links when it has source_name or destination_name, pools
    /// when it has criteria or mode (and no link column), devices otherwise.</summary>
    public static (string Sheet, string Why) SheetOf(IReadOnlyCollection<string> header)
    {
        bool Has(string column) => header.Contains(column, StringComparer.OrdinalIgnoreCase);
        if (Has("source_name") || Has("destination_name"))
        {
            return ("link", "it has a source_name/destination_name column");
        }
        if (Has("criteria") || Has("mode"))
        {
            return ("pool", "it has a criteria/mode column");
        }
        return ("device", "it has no source_name, destination_name, criteria or mode column");
    }
}
