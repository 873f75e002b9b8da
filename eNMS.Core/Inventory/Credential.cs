namespace eNMS.Core.Inventory;

/// <summary>
/// How to log in to devices. Secrets are stored encrypted (see <see cref="Security.SecretProtector"/>) and never leave the
/// server once saved. A credential applies to the devices of its pools; the highest priority wins, as in eNMS.
/// </summary>
public sealed class Credential
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public string Username { get; set; } = "";
    public int Priority { get; set; } = 1;

    /// <summary>Read-only: kinds that change devices refuse it (eNMS's credential role).</summary>
    public CredentialAccess Access { get; set; } = CredentialAccess.ReadWrite;
    public string? ProtectedPassword { get; set; }
    public string? ProtectedPrivateKey { get; set; }
    public string? ProtectedPassphrase { get; set; }
    public string? ProtectedEnableSecret { get; set; }
    public List<Pool> Pools { get; set; } = [];

    /// <summary>Who may use it (<c>user:NAME</c> / <c>group:NAME</c>, as <see cref="Security.ObjectAccess"/> reads them);
    /// empty: anyone whose role may run. Admins and eNMS itself always may. See <see cref="CredentialResolver"/>.</summary>
    public List<string> UseAccess { get; set; } = [];

    public bool HasPassword => ProtectedPassword is not null;
    public bool HasPrivateKey => ProtectedPrivateKey is not null;
    public bool HasEnableSecret => ProtectedEnableSecret is not null;

    /// <summary>No password and no key: created by an import that carried only its name (exports never carry
    /// secrets); it logs in to nothing until someone enters its secret.</summary>
    public bool SecretNeeded => ProtectedPassword is null && ProtectedPrivateKey is null;

    /// <summary>Whether <paramref name="actor"/> may log in to devices with it (null: eNMS itself).</summary>
    public bool MayBeUsedBy(Security.AuditActor? actor) => Security.ObjectAccess.ListAllows(actor, UseAccess);
}

/// <summary>What a credential may be used for: any service kind, or only those that leave the device unchanged.</summary>
public enum CredentialAccess
{
    ReadWrite,
    ReadOnly,
}
