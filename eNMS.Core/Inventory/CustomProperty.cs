namespace eNMS.Core.Inventory;

public enum PropertyKind
{
    Text,
    Number,
    Boolean,
}

/// <summary>A typed key/value on a device or link: unknown spreadsheet columns land here, usable in pool
/// criteria and templates.</summary>
public sealed class CustomProperty
{
    public required string Name { get; set; }
    public PropertyKind Kind { get; set; }
    public string Value { get; set; } = "";
}
