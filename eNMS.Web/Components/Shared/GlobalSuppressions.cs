using System.Diagnostics.CodeAnalysis;

[assembly: SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Scope = "namespace",
    Target = "~N:eNMS.Web.Components.Shared",
    Justification = "Components/Shared is the Blazor template's folder name; these types are not consumed from VB.")]
