namespace eNMS.Core.Parsing;

/// <summary>A TextFSM template stored in eNMS. With a platform and a command it is found automatically for that
/// command (before the admin's template directory and the built-in templates); by name it is used explicitly.</summary>
public sealed class ParsingTemplate
{
    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary>The Netmiko platform key (<c>cisco_ios</c>), or empty when used by name only.</summary>
    public string Platform { get; set; } = "";
    /// <summary>The command as an index entry writes it: <c>sh[[ow]] ver[[sion]]</c> (a regular expression).</summary>
    public string Command { get; set; } = "";
    public string Description { get; set; } = "";
    public string Text { get; set; } = "";
}

/// <summary>Bound from "Parsing".</summary>
public sealed class ParsingOptions
{
    /// <summary>A directory of TextFSM templates with an ntc-templates <c>index</c> file (an ntc-templates checkout's
    /// <c>ntc_templates/templates</c> works unchanged). Empty: none.</summary>
    public string TemplateDirectory { get; set; } = "";
}
