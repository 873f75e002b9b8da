namespace eNMS.Core.Ansible;

/// <summary>An Ansible playbook of the library; every saved change is a new <see cref="PlaybookVersion"/>.</summary>
public sealed class Playbook
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public List<PlaybookVersion> Versions { get; set; } = [];
}

/// <summary>One saved text of a playbook. Versions are never edited: a run names the version it used.</summary>
public sealed class PlaybookVersion
{
    public long Id { get; set; }
    public int PlaybookId { get; set; }
    /// <summary>1, 2, 3… within its playbook.</summary>
    public int Number { get; set; }
    public string Content { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
}
