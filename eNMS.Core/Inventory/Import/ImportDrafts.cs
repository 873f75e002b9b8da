using System.Text.Json;
using System.Text.Json.Serialization;

namespace eNMS.Core.Inventory.Import;

/// <summary>Login columns of an eNMS sheet (username/password/enable_password): they become a credential.</summary>
internal sealed record ImportedLogin(string Username, string? Password, string? EnableSecret);

/// <summary>A device row parsed and checked, with the columns it actually had (absent columns change nothing).</summary>
internal sealed class DeviceDraft(int row, Device values)
{
    public int Row { get; } = row;
    public Device Values { get; } = values;
    public List<InventoryField<Device>> Fields { get; } = [];
    public ImportedLogin? Login { get; set; }
    public string? CredentialName { get; set; }

    /// <summary>Names of the gateway devices, first tried first; null when the sheet has no gateways column.</summary>
    public List<string>? GatewayNames { get; set; }

    /// <summary>Set when the merge found nothing else to change (a change of gateways alone then makes it an update).</summary>
    public bool CountedUnchanged { get; set; }
}

internal sealed class LinkDraft(int row, Link values, string sourceName, string destinationName)
{
    public int Row { get; } = row;
    public Link Values { get; } = values;
    public string SourceName { get; } = sourceName;
    public string DestinationName { get; } = destinationName;
    public List<InventoryField<Link>> Fields { get; } = [];
}

internal sealed class PoolDraft(int row, Pool values)
{
    public int Row { get; } = row;
    public Pool Values { get; } = values;
    public List<string> DeviceNames { get; } = [];
    public List<string> LinkNames { get; } = [];
}

/// <summary>A row of the credential sheet: a credential's name and non-secret fields (exports never carry secrets).</summary>
internal sealed record CredentialDraft(int Row, string Name, string Description, string Username, int Priority, CredentialAccess Access);

internal static class ImportJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
