using eNMS.Core.Automation.Workflows;

namespace eNMS.Core.Automation;

public enum TargetMode
{
    /// <summary>The service runs once for each target device.</summary>
    PerDevice,
    /// <summary>The service runs once for the whole run (a REST call, a notification, a wait).</summary>
    Once,
}

/// <summary>
/// Something eNMS can run: a <see cref="Kind"/> (handled by one handler) with its JSON parameters, default targets
/// and execution options. A workflow is a service of kind <c>workflow</c> whose <see cref="Graph"/> chains other
/// services, so workflows nest for free.
/// </summary>
public sealed class Service : Security.IAccessControlled
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string Kind { get; set; }
    public string Description { get; set; } = "";
    /// <summary>The kind's parameters as JSON; text fields may hold Liquid templates.</summary>
    public string Parameters { get; set; } = "{}";
    /// <summary>Parameter paths marked secret by the editor (<c>body</c>, <c>headers.X-Custom</c>), besides those
    /// secret by their name; see <see cref="ServiceSecrets"/>.</summary>
    public List<string> SecretParameters { get; set; } = [];
    public TargetMode TargetMode { get; set; }
    public List<int> DeviceIds { get; set; } = [];
    public List<int> PoolIds { get; set; } = [];

    /// <summary>The credential its device connections log in with, overriding the device's (null: the device's, or the
    /// enclosing workflow's when it names one). The run's user must be allowed to use it (<see cref="Inventory.CredentialResolver"/>).</summary>
    public int? CredentialId { get; set; }

    /// <summary>A Liquid expression; when it renders "true" for a device, the device skips this service.</summary>
    public string SkipWhen { get; set; } = "";
    public int Retries { get; set; }
    public int RetryDelaySeconds { get; set; } = 5;
    /// <summary>Per device and attempt; 0 means no limit beyond the drivers' own timeouts.</summary>
    public int TimeoutSeconds { get; set; }
    public int MaxParallelDevices { get; set; } = 50;

    /// <summary>Typed inputs asked for when the service is run or scheduled (<see cref="RunInputs"/>).</summary>
    public List<InputField> Inputs { get; set; } = [];
    /// <summary>A JSON list, or a Liquid template rendering one: the service runs once per value (per device), with
    /// the value as <c>iteration.value</c> in templates. Empty: once.</summary>
    public string IterateOver { get; set; } = "";
    /// <summary>Devices derived from the current one (eNMS's iteration devices): a JSON list, or a Liquid template rendering one
    /// (or lines), of device names or addresses — its LLDP neighbours read by an earlier node, a pool's devices. The service
    /// runs once on each of them instead of the current device, its results attributed to each derived device and summed
    /// up on the current one. Empty: on the current device.</summary>
    public string IterateDevices { get; set; } = "";
    /// <summary>The most values <see cref="IterateOver"/> (and devices <see cref="IterateDevices"/>) may give; more fails the
    /// device (at most <see cref="IterationCap"/>).</summary>
    public int MaxIterations { get; set; } = DefaultMaxIterations;

    public const int DefaultMaxIterations = 100;
    public const int IterationCap = 1_000;

    /// <summary>Made by eNMS for a one-off action (a rollback, a remediation): it runs like any service but is no part of
    /// the user's catalogue (<see cref="ServiceCatalogue"/>). Only eNMS sets it; the editors never do.</summary>
    public bool IsAdHoc { get; set; }

    public WorkflowGraph? Graph { get; set; }

    /// <summary>The user who created it (an admin or the owner may hand it over); with the lists below, see
    /// <see cref="Security.ObjectAccess"/>. Null for services made before owners existed, or by eNMS itself.</summary>
    public string? Owner { get; set; }
    public List<string> ReadAccess { get; set; } = [];
    public List<string> EditAccess { get; set; } = [];
    public List<string> RunAccess { get; set; } = [];

    /// <summary>Optimistic concurrency for the designer: two editors of one workflow are told, not overwritten.</summary>
    public int Version { get; set; }
}

/// <summary>The one place that says which services the user's catalogue holds: every list, picker, palette and count
/// of services reads through <see cref="Catalogue"/>, so the ad-hoc services eNMS makes for one-off actions (a rollback,
/// a remediation) run like any other but never show.</summary>
public static class ServiceCatalogue
{
    /// <summary>How ad-hoc services were told apart before <see cref="Service.IsAdHoc"/>: a name prefix, converted once at start.</summary>
    public const string LegacyAdHocPrefix = "[ad hoc] ";

    public static IQueryable<Service> Catalogue(this IQueryable<Service> services) => services.Where(s => !s.IsAdHoc);
}
