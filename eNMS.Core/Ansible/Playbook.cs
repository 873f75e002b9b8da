namespace eNMS.Core.Ansible;

/// <summary>An Ansible playbook of the library; every saved change is a new <see cref="PlaybookVersion"/>.</summary>
public sealed class Playbook : Security.IAccessControlled
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    /// <summary>Its creator (or whom they handed it to); with the lists, see <see cref="Security.ObjectAccess"/>. The run
    /// list is checked when an <c>ansible_playbook</c> service runs it, against the run's user.</summary>
    public string? Owner { get; set; }
    public List<string> ReadAccess { get; set; } = [];
    public List<string> EditAccess { get; set; } = [];
    public List<string> RunAccess { get; set; } = [];
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
