namespace eNMS.Core.Inventory;

public sealed class Link
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public int SourceId { get; set; }
    public Device? Source { get; set; }
    public int DestinationId { get; set; }
    public Device? Destination { get; set; }
    public string SourceInterface { get; set; } = "";
    public string DestinationInterface { get; set; } = "";
    public string Description { get; set; } = "";
    public string Vendor { get; set; } = "";
    public string Model { get; set; } = "";
    public string Subtype { get; set; } = "";
    public string Color { get; set; } = "#000000";
    public string Location { get; set; } = "";
    public List<CustomProperty> CustomProperties { get; set; } = [];

    public List<Pool> Pools { get; set; } = [];
}
