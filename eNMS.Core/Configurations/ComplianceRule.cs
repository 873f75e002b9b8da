namespace eNMS.Core.Configurations;

public enum ComplianceMode
{
    /// <summary>The template renders the whole intended configuration: the latest backup must equal it.</summary>
    FullConfig,
    /// <summary>Each rendered non-empty line must appear in the latest backup (order free).</summary>
    Snippets,
    /// <summary>Each rendered non-empty line is a regular expression that must match some line of the backup.</summary>
    Regex,
}

/// <summary>A golden configuration: a Liquid template (with <c>device</c> in scope) for the devices of a pool or of
/// a platform. Rendered per device and compared with its latest backup.</summary>
public sealed class ComplianceRule : Security.IAccessControlled
{
    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary>The rule applies to this pool's devices…</summary>
    public int? PoolId { get; set; }
    /// <summary>…or to every device of this platform (when no pool is set).</summary>
    public string Platform { get; set; } = "";
    public ComplianceMode Mode { get; set; }
    public string Template { get; set; } = "";
    /// <summary>Its creator (or whom they handed it to); with the read and edit lists, see <see cref="Security.ObjectAccess"/>.</summary>
    public string? Owner { get; set; }
    public List<string> ReadAccess { get; set; } = [];
    public List<string> EditAccess { get; set; } = [];
    /// <summary>A rule is not run by itself (checks and remediations follow the read list and the roles): no run list.</summary>
    public List<string> RunAccess => [];
}
