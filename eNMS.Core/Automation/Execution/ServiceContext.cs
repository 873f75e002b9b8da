using eNMS.Core.Automation.Templates;
using eNMS.Core.Inventory;

namespace eNMS.Core.Automation.Execution;

/// <summary>Everything a handler may use while it runs one service on one device (or once).</summary>
public sealed class ServiceContext(RunScope scope, Service service, string node, Device? device, Iteration? iteration = null)
{
    public Run Run => scope.Run;

    public Service Service { get; } = service;

    /// <summary>The workflow node path (<see cref="RunResult.RunLevel"/> outside a workflow).</summary>
    public string Node { get; } = node;

    /// <summary>The target device; null for a service that runs once per run.</summary>
    public Device? Device { get; } = device;

    public TimeProvider Time => scope.Time;

    /// <summary>The value this execution runs for when the service iterates (<see cref="Service.IterateOver"/>).</summary>
    public Iteration? Iteration { get; } = iteration;

    /// <summary>Renders Liquid with the device, its custom properties, the run's variables and earlier results.</summary>
    /// <exception cref="TemplateException">The template is invalid; the executor fails this device with its message.</exception>
    public ValueTask<string> RenderAsync(string text) => scope.RenderAsync(text, Device, Iteration);

    /// <summary>What its device connections ask of a credential: the one its service (or enclosing workflow) names, and
    /// whether it changes the device (<see cref="CredentialResolver"/>).</summary>
    public CredentialRequest Credential { get; init; } = CredentialRequest.Any;

    /// <summary>The device's target with this node's credential, for handlers that hand the login to another program
    /// (Ansible, Python): the same choice and checks as the run's connections, its secrets redacted from then on.</summary>
    /// <exception cref="Drivers.DeviceException">No credential applies, or the run's user may not use it.</exception>
    public Task<Drivers.DeviceTarget> TargetAsync() =>
        Device is null ? throw new InvalidOperationException($"{Service.Name} runs once per run: it has no device to connect to.")
            : scope.Connections.TargetAsync(Device, Credential);

    /// <summary>A connection the device's platform refuses is retried with backoff (<see cref="AdaptiveLimits"/>) unless the
    /// service has retries of its own: those retry it then (a node that waits for a reloading device relies on them), never both.</summary>
    private bool RetryRefused => Service.Retries == 0;

    /// <summary>The device's driver, connected once per run and reused by later nodes: <c>await using var driver =
    /// await context.ConnectAsync(ct)</c>; disposing it returns the driver for the next node.</summary>
    public Task<DeviceSession> ConnectAsync(CancellationToken ct) =>
        Device is null ? throw new InvalidOperationException($"{Service.Name} runs once per run: it has no device to connect to.")
            : scope.Connections.AcquireAsync(Device, RetryRefused, Credential, ct);

    /// <summary>A NETCONF session with the device, on its <c>netconf_port</c> custom property when it has one, else on
    /// <paramref name="port"/> (the service's; 830 by convention).</summary>
    public Task<NetconfDeviceSession> ConnectNetconfAsync(int port, CancellationToken ct) =>
        Device is null ? throw new InvalidOperationException($"{Service.Name} runs once per run: it has no device to connect to.")
            : scope.Connections.OpenNetconfAsync(Device, NetconfPortOf(Device) ?? port, RetryRefused, Credential, ct);

    /// <summary>An SFTP or SCP connection with the device (through its gateways).</summary>
    public Task<FileTransferSession> ConnectFileTransferAsync(Drivers.Transfer.FileTransferProtocol protocol, CancellationToken ct) =>
        Device is null ? throw new InvalidOperationException($"{Service.Name} runs once per run: it has no device to connect to.")
            : scope.Connections.OpenFileTransferAsync(Device, protocol, RetryRefused, Credential, ct);

    /// <summary>Reports a transfer's bytes to whoever watches the run (<see cref="Execution.TransferProgressed"/>), at most
    /// every <see cref="TransferProgress.Interval"/> and always at the end.</summary>
    public TransferProgress TransferProgress(string path, long? total) =>
        new(Time, (bytes, known) => scope.TransferProgressed(Node, Device, path, bytes, known), total);

    /// <summary>The device is marked as managed over NETCONF (custom property <c>netconf</c> = true).</summary>
    public static bool IsNetconfDevice(Device device) =>
        device?.CustomProperties.Any(p => p.Name.Equals("netconf", StringComparison.OrdinalIgnoreCase)
            && p.Value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase)) ?? false;

    private static int? NetconfPortOf(Device device) =>
        device.CustomProperties.FirstOrDefault(p => p.Name.Equals("netconf_port", StringComparison.OrdinalIgnoreCase)) is { } property
            && double.TryParse(property.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var port)
            && port is >= 1 and <= 65535 ? (int)port : null;

    /// <summary>Results of earlier nodes in this run for this device (and run-wide ones).</summary>
    public IReadOnlyList<RunResult> EarlierResults => scope.ResultsFor(Device);

    /// <summary>Waits for people (an approval) through the run's one owner of waits (<see cref="RunScope.WaitAsync{T}"/>):
    /// the device's session, its turn and the run's execution slot go back meanwhile; <paramref name="reason"/> is what the
    /// run page shows the run waits for.</summary>
    public Task<T> WaitForPeopleAsync<T>(string reason, Func<Task<T>> wait, CancellationToken ct) =>
        scope.WaitAsync(reason, Device, inNode: true, wait, ct);

    public void Log(string message, string level = "info") => scope.Log($"{Service.Name}{(Device is null ? "" : $" · {Device.Name}")}: {message}", level);

    /// <summary>The run's inputs (declared by the service, given at run time), secrets decrypted: for handlers that hand them on.</summary>
    public System.Text.Json.Nodes.JsonObject Inputs => scope.Inputs;

    /// <summary>Secrets a handler handed on (to a script): kept out of every output, log and error of the run.</summary>
    public void KeepSecret(IEnumerable<string> secrets) => scope.Connections.AddSecrets(secrets);

    /// <summary>Secrets this run may have seen, to keep out of outputs.</summary>
    public string Redact(string text) => scope.Connections.Redact(text);
}

/// <summary>One value of an iterating service: <c>iteration.value</c> and <c>iteration.index</c> (from 1) in templates.</summary>
public sealed record Iteration(int Index, object? Value);
