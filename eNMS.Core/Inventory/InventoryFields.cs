using System.Globalization;

namespace eNMS.Core.Inventory;

/// <summary>
/// One built-in property of a device or link: its column name in spreadsheets (eNMS's names, so eNMS exports
/// import unchanged), how to read it as text and how to set it from text with a clear reason when it can't.
/// Pool criteria, import and export all go through this one catalog.
/// </summary>
public sealed record InventoryField<T>(string Name, Func<T, string> Get, Func<T, string, string?> Set, params string[] Aliases);

public sealed class InventoryFieldSet<T>
{
    private readonly Dictionary<string, InventoryField<T>> _byColumn = new(StringComparer.OrdinalIgnoreCase);

    public InventoryFieldSet(IReadOnlyList<InventoryField<T>> fields)
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
}

public static class InventoryFields
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static InventoryFieldSet<Device> Device { get; } = new(
    [
        new("name", d => d.Name, (d, v) => SetRequired(v, x => d.Name = x)),
        new("address", d => d.Address, (d, v) => Set(v, x => d.Address = x), "ip_address"),
        new("port", d => d.Port.ToString(Invariant), (d, v) => SetPort(v, x => d.Port = x)),
        new("platform", d => d.Platform, (d, v) => Set(v, x => d.Platform = x), "netmiko_driver"),
        new("vendor", d => d.Vendor, (d, v) => Set(v, x => d.Vendor = x)),
        new("model", d => d.Model, (d, v) => Set(v, x => d.Model = x)),
        new("operating_system", d => d.OperatingSystem, (d, v) => Set(v, x => d.OperatingSystem = x)),
        new("os_version", d => d.OsVersion, (d, v) => Set(v, x => d.OsVersion = x)),
        new("location", d => d.Location, (d, v) => Set(v, x => d.Location = x)),
        new("latitude", d => Format(d.Latitude), (d, v) => SetCoordinate(v, 90, x => d.Latitude = x)),
        new("longitude", d => Format(d.Longitude), (d, v) => SetCoordinate(v, 180, x => d.Longitude = x)),
        new("icon", d => d.Icon, (d, v) => Set(v, x => d.Icon = x)),
        new("description", d => d.Description, (d, v) => Set(v, x => d.Description = x)),
        new("simulated", d => d.Simulated ? "true" : "false", (d, v) => SetBoolean(v, x => d.Simulated = x)),
    ]);

    /// <summary>Link endpoints are resolved by device name, so they are not in this set (see the importer).</summary>
    public static InventoryFieldSet<Link> Link { get; } = new(
    [
        new("name", l => l.Name, (l, v) => SetRequired(v, x => l.Name = x)),
        new("source_interface", l => l.SourceInterface, (l, v) => Set(v, x => l.SourceInterface = x)),
        new("destination_interface", l => l.DestinationInterface, (l, v) => Set(v, x => l.DestinationInterface = x)),
        new("description", l => l.Description, (l, v) => Set(v, x => l.Description = x)),
        new("vendor", l => l.Vendor, (l, v) => Set(v, x => l.Vendor = x)),
        new("model", l => l.Model, (l, v) => Set(v, x => l.Model = x)),
        new("subtype", l => l.Subtype, (l, v) => Set(v, x => l.Subtype = x)),
        new("color", l => l.Color, (l, v) => Set(v, x => l.Color = x)),
        new("location", l => l.Location, (l, v) => Set(v, x => l.Location = x)),
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

    private static string? Set(string value, Action<string> apply)
    {
        apply(value.Trim());
        return null;
    }

    private static string? SetRequired(string value, Action<string> apply)
    {
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            return "a name is required";
        }
        apply(trimmed);
        return null;
    }

    private static string? SetPort(string value, Action<int> apply)
    {
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            apply(22);
            return null;
        }
        // Spreadsheets store ports as numbers, so "22.0" is common and means 22; "22.5" means nothing.
        if (double.TryParse(trimmed, NumberStyles.Float, Invariant, out var number)
            && number == Math.Floor(number) && number is >= 1 and <= 65535)
        {
            apply((int)number);
            return null;
        }
        return $"'{trimmed}' is not a TCP port (a whole number from 1 to 65535)";
    }

    private static string? SetBoolean(string value, Action<bool> apply)
    {
        var trimmed = value.Trim().ToLowerInvariant();
        bool? parsed = trimmed switch
        {
            "" or "false" or "0" or "no" => false,
            "true" or "1" or "yes" => true,
            _ => null,
        };
        if (parsed is { } flag)
        {
            apply(flag);
            return null;
        }
        return $"'{value.Trim()}' is not true or false";
    }

    private static string? SetCoordinate(string value, double limit, Action<double?> apply)
    {
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            apply(null);
            return null;
        }
        if (double.TryParse(trimmed, NumberStyles.Float, Invariant, out var number) && Math.Abs(number) <= limit)
        {
            apply(number);
            return null;
        }
        return $"'{trimmed}' is not a coordinate (a number from -{limit} to {limit})";
    }
}
