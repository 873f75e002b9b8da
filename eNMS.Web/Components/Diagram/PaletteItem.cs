using eNMS.Core.Automation;

namespace eNMS.Web.Components.Diagram;

/// <summary>A palette entry: a kind (a new service is created) or an existing service.</summary>
public sealed record PaletteItem(string? Kind, Service? Service);
