namespace eNMS.Core.Inventory.Editing;

/// <summary>What a form or an API call submits for a device; <see cref="Id"/> 0 creates.</summary>
public sealed class DeviceInput
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string Address { get; set; } = "";
    /// <summary>Null (or absent from the JSON): the transport's usual port, 22 for SSH and 23 for Telnet.</summary>
    public int? Port { get; set; }
    /// <summary><c>ssh</c> (also when empty) or <c>telnet</c>.</summary>
    public string Transport { get; set; } = DeviceTransports.Ssh;
    public string Platform { get; set; } = "";
    public string Vendor { get; set; } = "";
    public string Model { get; set; } = "";
    public string OperatingSystem { get; set; } = "";
    public string OsVersion { get; set; } = "";
    public string Location { get; set; } = "";
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    /// <summary>A built-in icon (<see cref="DeviceIcons"/>) or "" to show the one its platform suggests.</summary>
    public string Icon { get; set; } = "";
    public string Description { get; set; } = "";
    public int? CredentialId { get; set; }
    public bool Simulated { get; set; }
    /// <summary>The devices (SSH hosts) this one is reached through, first tried first; empty: dialled directly.</summary>
    public List<int> GatewayIds { get; set; } = [];
    public List<CustomProperty> CustomProperties { get; set; } = [];

    /// <summary>The built-in fields as a detached device, for <see cref="InventoryFields"/> to check and copy.</summary>
    public Device Values() => new()
    {
        Name = Name ?? "",
        Address = Address ?? "",
        Port = Port ?? DeviceTransports.DefaultPort(Transport ?? ""),
        Transport = Transport ?? "",
        Platform = Platform ?? "",
        Vendor = Vendor ?? "",
        Model = Model ?? "",
        OperatingSystem = OperatingSystem ?? "",
        OsVersion = OsVersion ?? "",
        Location = Location ?? "",
        Latitude = Latitude,
        Longitude = Longitude,
        Icon = Icon ?? "",
        Description = Description ?? "",
        Simulated = Simulated,
    };

    public static DeviceInput From(Device d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new()
        {
            Id = d.Id,
            Name = d.Name,
            Address = d.Address,
            Port = d.Port,
            Transport = d.Transport,
            Platform = d.Platform,
            Vendor = d.Vendor,
            Model = d.Model,
            OperatingSystem = d.OperatingSystem,
            OsVersion = d.OsVersion,
            Location = d.Location,
            Latitude = d.Latitude,
            Longitude = d.Longitude,
            Icon = d.Icon,
            Description = d.Description,
            CredentialId = d.CredentialId,
            Simulated = d.Simulated,
            GatewayIds = d.Gateways.OrderBy(g => g.Priority).Select(g => g.GatewayId).ToList(),
            CustomProperties = d.CustomProperties.Select(p => new CustomProperty { Name = p.Name, Kind = p.Kind, Value = p.Value }).ToList(),
        };
    }
}

public sealed class LinkInput
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public int SourceId { get; set; }
    public int DestinationId { get; set; }
    public string SourceInterface { get; set; } = "";
    public string DestinationInterface { get; set; } = "";
    public string Description { get; set; } = "";
    public string Vendor { get; set; } = "";
    public string Model { get; set; } = "";
    public string Subtype { get; set; } = "";
    public string Color { get; set; } = "#000000";
    public string Location { get; set; } = "";
    public List<CustomProperty> CustomProperties { get; set; } = [];

    /// <summary>The built-in fields as a detached link, for <see cref="InventoryFields"/> to check and copy.</summary>
    public Link Values() => new()
    {
        Name = Name ?? "",
        SourceInterface = SourceInterface ?? "",
        DestinationInterface = DestinationInterface ?? "",
        Description = Description ?? "",
        Vendor = Vendor ?? "",
        Model = Model ?? "",
        Subtype = Subtype ?? "",
        Color = Color ?? "",
        Location = Location ?? "",
    };

    public static LinkInput From(Link l)
    {
        ArgumentNullException.ThrowIfNull(l);
        return new()
        {
            Id = l.Id,
            Name = l.Name,
            SourceId = l.SourceId,
            DestinationId = l.DestinationId,
            SourceInterface = l.SourceInterface,
            DestinationInterface = l.DestinationInterface,
            Description = l.Description,
            Vendor = l.Vendor,
            Model = l.Model,
            Subtype = l.Subtype,
            Color = l.Color,
            Location = l.Location,
            CustomProperties = l.CustomProperties.Select(p => new CustomProperty { Name = p.Name, Kind = p.Kind, Value = p.Value }).ToList(),
        };
    }
}

public sealed class PoolInput
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public PoolMode Mode { get; set; }
    public List<PoolCriterion> Criteria { get; set; } = [];
    /// <summary>Members of a manual pool; ignored for dynamic pools.</summary>
    public List<int> DeviceIds { get; set; } = [];
    public List<int> LinkIds { get; set; } = [];
}

/// <summary>Secrets are write-only: null or empty keeps the stored value; set a Clear flag to remove one.</summary>
public sealed class CredentialInput
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public string Username { get; set; } = "";
    public int Priority { get; set; } = 1;
    public CredentialAccess Access { get; set; } = CredentialAccess.ReadWrite;
    public string? Password { get; set; }
    public string? PrivateKey { get; set; }
    public string? Passphrase { get; set; }
    public string? EnableSecret { get; set; }
    public bool ClearPassword { get; set; }
    public bool ClearPrivateKey { get; set; }
    public bool ClearEnableSecret { get; set; }
    public List<int> PoolIds { get; set; } = [];

    /// <summary>Who may use it (<c>user:NAME</c> / <c>group:NAME</c>; empty: anyone whose role may run). Null keeps the
    /// list; only admins change it.</summary>
    public List<string>? UseAccess { get; set; }
}

/// <summary>A credential as the browser and the API see it: never a secret, only whether one is set.</summary>
public sealed record CredentialView(int Id, string Name, string Description, string Username, int Priority,
    bool HasPassword, bool HasPrivateKey, bool HasPassphrase, bool HasEnableSecret, IReadOnlyList<int> PoolIds)
{
    public CredentialAccess Access { get; init; }

    /// <summary>Who may use it (empty: anyone whose role may run).</summary>
    public IReadOnlyList<string> UseAccess { get; init; } = [];

    /// <summary>Imported without its secret: see <see cref="Credential.SecretNeeded"/>.</summary>
    public bool SecretNeeded => !HasPassword && !HasPrivateKey;

    public static CredentialView From(Credential c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new(c.Id, c.Name, c.Description, c.Username, c.Priority, c.ProtectedPassword is not null,
            c.ProtectedPrivateKey is not null, c.ProtectedPassphrase is not null, c.ProtectedEnableSecret is not null,
            c.Pools.Select(p => p.Id).ToList())
        { Access = c.Access, UseAccess = [.. c.UseAccess] };
    }
}

/// <summary>The outcome of a save: the entity's id, or the problems per field (nothing saved then).</summary>
public sealed record EditResult(int Id, IReadOnlyDictionary<string, string> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    public static EditResult Ok(int id) => new(id, new Dictionary<string, string>());

    public static EditResult Invalid(Dictionary<string, string> errors) => new(0, errors);

    public static EditResult NotFound(string what) => new(0, new Dictionary<string, string> { [""] = $"{what} no longer exists." });
}
