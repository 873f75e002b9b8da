using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace eNMS.Core.Automation.Handlers;

/// <summary>Every registered service kind, by its key (<c>services.AddServiceHandler&lt;T&gt;()</c> adds one), and which of them
/// only admins may write (<see cref="Execution.AutomationOptions.AdminOnlyKinds"/>).</summary>
public sealed class ServiceHandlers(IEnumerable<IServiceHandler> handlers, IOptions<Execution.AutomationOptions>? options = null)
{
    public const string WorkflowKind = "workflow";

    private readonly Dictionary<string, IServiceHandler> _byKind = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);

    public IEnumerable<string> Kinds => _byKind.Keys.Append(WorkflowKind).Order();

    public IServiceHandler? Find(string kind) => _byKind.GetValueOrDefault(kind);

    /// <summary>The kind's one-line description (a workflow's too; empty for a kind this server does not run).</summary>
    public string Describe(string kind) => kind == WorkflowKind
        ? "Chains services on a graph: each device follows the success or failure edges from node to node."
        : Find(kind)?.Description ?? "";

    /// <summary>The parameters a new service of the kind starts from (none for a workflow, whose graph is drawn).</summary>
    public JsonObject Example(string kind) => Find(kind)?.Example() ?? [];

    /// <summary>Why a service of this kind with these parameters cannot run, or null.</summary>
    public string? Validate(string kind, string parameters) =>
        kind == WorkflowKind ? null
            : Find(kind) is { } handler ? handler.Validate(parameters)
            : $"'{kind}' is not a service kind eNMS knows: use one of {string.Join(", ", Kinds)}.";

    /// <summary>Whether only admins may create or change services of this kind.</summary>
    public bool IsAdminOnly(string kind) =>
        (options?.Value.AdminOnlyKinds ?? Execution.AutomationOptions.DefaultAdminOnlyKinds).Contains(kind, StringComparer.Ordinal);

    /// <summary>Why the current actor (<see cref="Security.AuditActor.Current"/>) may not create or change a service of
    /// this kind, or null. Checked by every path that writes services (editor, import), not only by the UI.</summary>
    public string? WriteRefusal(string kind) =>
        IsAdminOnly(kind) && Security.AuditActor.Current is not { IsAdmin: true }
            ? $"Only administrators may create or change {kind} services (Automation:AdminOnlyKinds)."
            : null;
}
