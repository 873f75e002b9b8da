namespace eNMS.Core.Inventory;

/// <summary>
/// What a name (device, link, pool, credential, service…) may be, for forms, the API and spreadsheet import alike:
/// required, at most <see cref="MaxLength"/> characters, and no control characters — a NUL or an escape sequence in a
/// name breaks exports, logs, terminals and PostgreSQL (which refuses NUL in text).
/// </summary>
public static class InventoryNames
{
    public const int MaxLength = 255;

    /// <summary>Why the name cannot be used, or null.</summary>
    public static string? Problem(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "A name is required."
            : name.Trim().Length > MaxLength ? $"A name has at most {MaxLength} characters."
            : ControlCharacter(name) is { } c ? $"A name cannot contain control characters (U+{(int)c:X4})."
            : null;

    /// <summary>The first control character of the text, or null.</summary>
    public static char? ControlCharacter(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                return c;
            }
        }
        return null;
    }
}
