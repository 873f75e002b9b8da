using System.Globalization;
using System.Text;

namespace eNMS.Core.Inventory.Import;

/// <summary>
/// The text a spreadsheet shows for a number cell, from the cell's Excel number format. Only the plain numeric formats
/// (0, 0.0, #,##0.00, 0%, 0.00E+00, with literals) are rendered: they mean the same in .NET's custom numeric format.
/// Anything else (General, dates, colours, conditions) shows the number as it is.
/// </summary>
internal static class ExcelNumberFormat
{
    public static string Show(double value, string? format)
    {
        var plain = value.ToString("R", CultureInfo.InvariantCulture);
        if (string.IsNullOrWhiteSpace(format) || format.Equals("General", StringComparison.OrdinalIgnoreCase) || format == "@")
        {
            return plain;
        }
        var section = FirstSection(format);
        if (section is null || !section.Any(c => c is '0' or '#'))
        {
            return plain;
        }
        try
        {
            return value.ToString(section, CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            return plain;
        }
    }

    /// <summary>The positive section without Excel-only syntax; null when it has parts .NET would read differently.</summary>
    private static string? FirstSection(string format)
    {
        var text = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c == '"')
            {
                quoted = !quoted;
                text.Append(c);
            }
            else if (quoted)
            {
                text.Append(c);
            }
            else if (c == ';')
            {
                break;
            }
            else if (c is '_' or '*')
            {
                i++; // Excel's "space as wide as the next character" and "repeat it": nothing to show.
            }
            else if (c == '[')
            {
                return null; // a colour, a condition or a locale: not a plain number format
            }
            else if (c == '\\' && i + 1 < format.Length)
            {
                text.Append(c).Append(format[++i]);
            }
            else if (char.IsLetter(c) && c is not ('E' or 'e'))
            {
                return null; // dates and times (d, m, y, h, s) and text placeholders
            }
            else
            {
                text.Append(c);
            }
        }
        return text.ToString();
    }
}
