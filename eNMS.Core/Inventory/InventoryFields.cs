using System.Globalization;

namespace eNMS.Core.Inventory;

/// <summary>
/// One built-in property of a device or link: its spreadsheet column (eNMS's names, so eNMS exports import
/// unchanged) and aliases, the entity property it maps to, its longest stored text, and one rule that checks a text
/// value and gives its stored form. The API, the edit forms, the import and EF's column lengths all ask this rule,
/// so a value is accepted or refused with the same reason wherever it comes from.
/// </summary>
public sealed class InventoryField<T>
{
    private readonly Action<T, string> _apply;
    private readonly Func<string, FieldValue> _parse;

    internal InventoryField(string name, string property, int? maxLength, Func<T, string> get, Action<T, string> apply,
        Func<string, FieldValue> parse, params string[] aliases)
    {
        (Name, Property, MaxLength, Get, _apply, _parse, Aliases) = (name, property, maxLength, get, apply, parse, aliases);
    }

    /// <summary>The spreadsheet column (snake_case, as eNMS names it).</summary>
    public string Name { get; }

    /// <summary>The entity's C# property (what EF maps), e.g. <c>OsVersion</c>.</summary>
    public string Property { get; }

    /// <summary>The key the API's validation errors use (camelCase of <see cref="Property"/>).</summary>
    public string Key => char.ToLowerInvariant(Property[0]) + Property[1..];

    /// <summary>Longest text stored (the database column's length); null for numbers and flags.</summary>
    public int? MaxLength { get; }

    /// <summary>A text field: a numeric spreadsheet cell is read as the text the sheet shows ("15.0" stays "15.0").</summary>
    public bool IsText => MaxLength is not null;

    public Func<T, string> Get { get; }

    public IReadOnlyList<string> Aliases { get; }

    /// <summary>Text longer than its field's column is still read up to this length, when the field's rule may shorten it.</summary>
    private const int LongestParsedInput = 64;

    /// <summary>Why <paramref name="text"/> cannot be this field's value, or null when it can.</summary>
    public string? Problem(string text) => Parse(text).Problem;

    /// <summary>Sets the field from text; returns the reason when the text is refused (nothing set then).</summary>
    public string? Set(T target, string text)
    {
        var value = Parse(text);
        if (value.Problem is null)
        {
            _apply(target, value.Stored!);
        }
        return value.Problem;
    }

    private FieldValue Parse(string text)
    {
        var trimmed = (text ?? "").Trim();
        if (MaxLength is int max && trimmed.Length > max)
        {
            // What must fit is the stored form, which can be shorter than the text given (a colour name is stored as
            // #rrggbb); text past LongestParsedInput is refused unread.
            if (trimmed.Length <= LongestParsedInput && _parse(trimmed) is var parsed && (parsed.Problem is not null || parsed.Stored!.Length <= max))
            {
                return parsed;
            }
            return FieldValue.Refused($"'{Shorten(trimmed)}' has {trimmed.Length} characters: {Name} has at most {max}");
        }
        return _parse(trimmed);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

/// <summary>A checked value: its stored text form, or why it was refused.</summary>
internal readonly record struct FieldValue(string? Stored, string? Problem)
{
    public static FieldValue Ok(string stored) => new(stored, null);

    public static FieldValue Refused(string problem) => new(null, problem);
}

public sealed class InventoryFieldSet<T>
{
    private readonly Dictionary<string, InventoryField<T>> _byColumn = new(StringComparer.OrdinalIgnoreCase);

    internal InventoryFieldSet(IReadOnlyList<InventoryField<T>> fields)
    {
        All = fields;
        foreach (var field in fields)
        {
            _byColumn[field.Name] = field;
            foreach (var alias in field.Aliases)
            {
                _byColumn[alias] = field;
            }
        }
    }

    public IReadOnlyList<InventoryField<T>> All { get; }

    public IEnumerable<string> Names => All.Select(f => f.Name);

    public InventoryField<T>? Find(string column) => _byColumn.GetValueOrDefault(column.Trim());

    /// <summary>Copies every built-in field in its stored form (trimmed, canonical platform); the values were checked.</summary>
    public void CopyAll(T from, T to)
    {
        foreach (var field in All)
        {
            if (field.Set(to, field.Get(from)) is { } problem)
            {
                throw new ArgumentException($"{field.Name}: {problem}", nameof(from));
            }
        }
    }

    /// <summary>Every refused field of <paramref name="entity"/> by API key (what a form or a DTO submitted).</summary>
    public Dictionary<string, string> Check(T entity)
    {
        var errors = new Dictionary<string, string>();
        foreach (var field in All)
        {
            if (field.Problem(field.Get(entity)) is { } problem)
            {
                errors[field.Key] = char.ToUpperInvariant(problem[0]) + problem[1..] + ".";
            }
        }
        return errors;
    }
}

public static partial class InventoryFields
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Names of devices, links, pools and credentials (the unique-name columns).</summary>
    public const int NameLength = InventoryNames.MaxLength;

    /// <summary>Descriptions are free text, but bounded so one cell cannot fill the database.</summary>
    public const int DescriptionLength = 4000;

    /// <summary>The longest DNS name (RFC 1035) is 253 characters, an IPv6 address 45.</summary>
    public const int AddressLength = 255;

    public const int ShortTextLength = 255;

    public const int PlatformLength = 64;

    public const int TransportLength = 16;

    public static InventoryFieldSet<Device> Device { get; } = new(
    [
        new("name", nameof(Inventory.Device.Name), NameLength, d => d.Name, (d, v) => d.Name = v, Required),
        new("address", nameof(Inventory.Device.Address), AddressLength, d => d.Address, (d, v) => d.Address = v, ParseAddress, "ip_address"),
        new("port", nameof(Inventory.Device.Port), null, d => d.Port.ToString(Invariant), (d, v) => d.Port = int.Parse(v, Invariant), ParsePort),
        new("transport", nameof(Inventory.Device.Transport), TransportLength, d => d.Transport, (d, v) => d.Transport = v, ParseTransport, "protocol"),
        new("platform", nameof(Inventory.Device.Platform), PlatformLength, d => d.Platform, (d, v) => d.Platform = v, ParsePlatform, "netmiko_driver"),
        new("vendor", nameof(Inventory.Device.Vendor), ShortTextLength, d => d.Vendor, (d, v) => d.Vendor = v, AnyText),
        new("model", nameof(Inventory.Device.Model), ShortTextLength, d => d.Model, (d, v) => d.Model = v, AnyText),
        new("operating_system", nameof(Inventory.Device.OperatingSystem), ShortTextLength, d => d.OperatingSystem, (d, v) => d.OperatingSystem = v, AnyText),
        new("os_version", nameof(Inventory.Device.OsVersion), ShortTextLength, d => d.OsVersion, (d, v) => d.OsVersion = v, AnyText),
        new("location", nameof(Inventory.Device.Location), ShortTextLength, d => d.Location, (d, v) => d.Location = v, AnyText),
        new("latitude", nameof(Inventory.Device.Latitude), null, d => Format(d.Latitude), (d, v) => d.Latitude = ParseDouble(v), v => ParseCoordinate(v, 90)),
        new("longitude", nameof(Inventory.Device.Longitude), null, d => Format(d.Longitude), (d, v) => d.Longitude = ParseDouble(v), v => ParseCoordinate(v, 180)),
        new("icon", nameof(Inventory.Device.Icon), ShortTextLength, d => d.Icon, (d, v) => d.Icon = v, AnyText),
        new("description", nameof(Inventory.Device.Description), DescriptionLength, d => d.Description, (d, v) => d.Description = v, AnyText),
        new("simulated", nameof(Inventory.Device.Simulated), null, d => d.Simulated ? "true" : "false", (d, v) => d.Simulated = v == "true", ParseBoolean),
    ]);

    /// <summary>Link endpoints are resolved by device name, so they are not in this set (see the importer).</summary>
    public static InventoryFieldSet<Link> Link { get; } = new(
    [
        new("name", nameof(Inventory.Link.Name), NameLength, l => l.Name, (l, v) => l.Name = v, Required),
        new("source_interface", nameof(Inventory.Link.SourceInterface), ShortTextLength, l => l.SourceInterface, (l, v) => l.SourceInterface = v, AnyText),
        new("destination_interface", nameof(Inventory.Link.DestinationInterface), ShortTextLength, l => l.DestinationInterface, (l, v) => l.DestinationInterface = v, AnyText),
        new("description", nameof(Inventory.Link.Description), DescriptionLength, l => l.Description, (l, v) => l.Description = v, AnyText),
        new("vendor", nameof(Inventory.Link.Vendor), ShortTextLength, l => l.Vendor, (l, v) => l.Vendor = v, AnyText),
        new("model", nameof(Inventory.Link.Model), ShortTextLength, l => l.Model, (l, v) => l.Model = v, AnyText),
        new("subtype", nameof(Inventory.Link.Subtype), ShortTextLength, l => l.Subtype, (l, v) => l.Subtype = v, AnyText),
        new("color", nameof(Inventory.Link.Color), 7, l => l.Color, (l, v) => l.Color = v, ParseColour),
        new("location", nameof(Inventory.Link.Location), ShortTextLength, l => l.Location, (l, v) => l.Location = v, AnyText),
    ]);

    /// <summary>The value of a built-in field or, failing that, of a custom property ("" when absent).</summary>
    public static string ValueOf(Device device, string property) =>
        Device.Find(property)?.Get(device) ?? CustomValue(device.CustomProperties, property);

    public static string ValueOf(Link link, string property) => property.ToLowerInvariant() switch
    {
        "source" or "source_name" => link.Source?.Name ?? "",
        "destination" or "destination_name" => link.Destination?.Name ?? "",
        _ => Link.Find(property)?.Get(link) ?? CustomValue(link.CustomProperties, property),
    };

    private static string CustomValue(List<CustomProperty> properties, string name) =>
        properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.Value ?? "";

    private static string Format(double? value) => value?.ToString("R", Invariant) ?? "";

    private static double? ParseDouble(string value) => value.Length == 0 ? null : double.Parse(value, Invariant);

    private static FieldValue AnyText(string value) => FieldValue.Ok(value);

    // The name rule has one owner (InventoryNames), shared with pools, credentials, services and schedules.
    private static FieldValue Required(string value) => InventoryNames.Problem(value) is { } problem ? FieldValue.Refused(problem) : FieldValue.Ok(value);

    private static FieldValue ParsePort(string value)
    {
        if (value.Length == 0)
        {
            return FieldValue.Ok("22");
        }
        // Spreadsheets store ports as numbers, so "22.0" is common and means 22; "22.5" means nothing.
        if (double.TryParse(value, NumberStyles.Float, Invariant, out var number)
            && number == Math.Floor(number) && number is >= 1 and <= 65535)
        {
            return FieldValue.Ok(((int)number).ToString(Invariant));
        }
        return FieldValue.Refused($"'{value}' is not a TCP port (a whole number from 1 to 65535)");
    }

    private static FieldValue ParseBoolean(string value) => value.ToLowerInvariant() switch
    {
        "" or "false" or "0" or "no" => FieldValue.Ok("false"),
        "true" or "1" or "yes" => FieldValue.Ok("true"),
        _ => FieldValue.Refused($"'{value}' is not true or false"),
    };

    private static FieldValue ParseCoordinate(string value, double limit)
    {
        if (value.Length == 0)
        {
            return FieldValue.Ok("");
        }
        if (double.TryParse(value, NumberStyles.Float, Invariant, out var number) && Math.Abs(number) <= limit)
        {
            return FieldValue.Ok(number.ToString("R", Invariant));
        }
        return FieldValue.Refused($"'{value}' is not a coordinate (a number from -{limit} to {limit})");
    }
}
