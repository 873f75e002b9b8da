using eNMS.Drivers;
using eNMS.Drivers.Cli;
using eNMS.Drivers.Config;

namespace eNMS.Core.Automation.Execution;

/// <summary>
/// The device's driver as one node holds it: <c>await using var driver = await context.ConnectAsync(ct)</c>, then
/// every driver operation on it. Disposing it does not close the connection: it returns the driver to the run for the
/// next node (the SSH session stays open until the device's path in the run ends) and frees the platform slot.
/// </summary>
/// <remarks>Every member of <see cref="IDeviceDriver"/> is forwarded, those with a default body too: the leased
/// driver's own answer (a platform's running-config shape, rollback refusal, checksum command) must not be replaced by
/// the interface's default.</remarks>
public sealed class DeviceSession(DriverLease lease, IDisposable platformSlot) : IDeviceDriver
{
    private IDeviceDriver Driver => lease.Driver;

    public DeviceTarget Target => Driver.Target;

    public DriverCapabilities Capabilities => Driver.Capabilities;

    public bool IsUsable => Driver.IsUsable;

    public string Transcript => Driver.Transcript;

    public ConfigShape RunningConfigShape => Driver.RunningConfigShape;

    public IConfigInversion? Inversion => Driver.Inversion;

    public Task<string> SendCommandAsync(string command, CancellationToken ct) => Driver.SendCommandAsync(command, ct);

    public Task<string> SendCommandAsync(string command, IReadOnlyList<CliAnswer> answers, CancellationToken ct) =>
        Driver.SendCommandAsync(command, answers, ct);

    public Task<IReadOnlyList<CommandOutput>> SendCommandsAsync(IEnumerable<string> commands, CancellationToken ct) =>
        Driver.SendCommandsAsync(commands, ct);

    public Task<string> SendConfigAsync(IEnumerable<string> lines, CancellationToken ct) => Driver.SendConfigAsync(lines, ct);

    public Task<string> GetRunningConfigAsync(CancellationToken ct) => Driver.GetRunningConfigAsync(ct);

    public Task LoadCandidateAsync(string config, ConfigLoadMode mode, CancellationToken ct) => Driver.LoadCandidateAsync(config, mode, ct);

    public Task<string> CompareAsync(CancellationToken ct) => Driver.CompareAsync(ct);

    public Task CommitAsync(CancellationToken ct, TimeSpan? confirmWithin = null) => Driver.CommitAsync(ct, confirmWithin);

    public Task ConfirmCommitAsync(CancellationToken ct) => Driver.ConfirmCommitAsync(ct);

    public Task DiscardAsync(CancellationToken ct) => Driver.DiscardAsync(ct);

    public Task RollbackAsync(CancellationToken ct) => Driver.RollbackAsync(ct);

    public Task<string?> RollbackUnavailableAsync(CancellationToken ct) => Driver.RollbackUnavailableAsync(ct);

    public Task<string> SaveConfigAsync(CancellationToken ct) => Driver.SaveConfigAsync(ct);

    public Task<FileChecksum?> FileChecksumAsync(string path, CancellationToken ct) => Driver.FileChecksumAsync(path, ct);

    /// <summary>Returns the driver to the run (its connection stays open) and frees the platform slot.</summary>
    public async ValueTask DisposeAsync()
    {
        await lease.DisposeAsync();
        platformSlot.Dispose();
    }
}
