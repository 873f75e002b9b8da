using System.Collections.Concurrent;
using eNMS.Core.Inventory;
using eNMS.Drivers;
using eNMS.Drivers.Netconf;
using eNMS.Drivers.Transfer;

namespace eNMS.Core.Automation.Execution;

/// <summary>A NETCONF session opened for one node on one device; disposing it ends the session (close-session, which
/// also releases any lock it still holds) and frees the platform slot.</summary>
public sealed class NetconfDeviceSession(NetconfSession session, IDisposable platformSlot) : IAsyncDisposable
{
    public NetconfSession Netconf => session;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await session.DisposeAsync();
        }
        finally
        {
            platformSlot.Dispose();
        }
    }
}

/// <summary>An SFTP or SCP connection opened for one node on one device; disposing it closes it and frees the platform
/// slot.</summary>
public sealed class FileTransferSession(SshFileTransfer transfer, IDisposable platformSlot) : IAsyncDisposable
{
    public SshFileTransfer Transfer => transfer;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await transfer.DisposeAsync();
        }
        finally
        {
            platformSlot.Dispose();
        }
    }
}

/// <summary>
/// The SSH connections of one run (a <see cref="DriverPool"/>: one per device, reused by later nodes, replaced when
/// a timeout or drop left it unusable, closed when the device is done or the run ends), the run's credentials resolved once per device,
/// and the per-platform limits: the run's own adaptive caps (<see cref="AdaptiveLimits"/>: lowered when a platform
/// refuses connections, whose devices are then retried) within those that cap how many sessions a fragile platform
/// sees at once across all runs.
/// </summary>
public sealed class DeviceConnections(DeviceTargets targets, DriverFactory drivers, PlatformLimits limits, HostKeyStore hostKeys,
    AdaptiveLimits? fanOut = null) : IAsyncDisposable
{
    private readonly DriverPool _pool = new(drivers);
    // Per device and per what a node asks of its credential (the one its service names, whether it changes the device).
    private readonly ConcurrentDictionary<(int Device, int? Named, bool Writes), Lazy<Task<ResolvedTarget>>> _targets = new();
    // What Redact reads on every result and log line: an immutable redactor, replaced (under the lock) when a
    // device or a service parameter brings a secret it does not know yet.
    private volatile SecretRedactor _secrets = SecretRedactor.None;
    private readonly Lock _secretsLock = new();

    /// <summary>Who the run's credentials are chosen for (<see cref="CredentialResolver"/>): the run's user, a schedule's
    /// creator; null: eNMS itself.</summary>
    public Security.AuditActor? User { get; init; }

    /// <summary>This run's caps per platform and the retries they caused.</summary>
    public AdaptiveLimits FanOut { get; } = fanOut ?? AdaptiveLimits.Fixed();

    /// <summary>Each device keeps its place in the run's adaptive cap from its first connection until it is released
    /// (<see cref="ReleaseAsync"/>: its sessions closed), not only while a node uses it: a place freed while the session
    /// was still open let the next device in before the device saw this one leave, and a platform that counts sessions
    /// refused it. Only where each device's path runs to its end before its worker takes another device (a service,
    /// a device-by-device workflow); service by service, devices hold connections between nodes and this would deadlock.</summary>
    public bool HoldCapUntilReleased { get; init; }

    // The adaptive places held by devices (HoldCapUntilReleased), freed when the device is released.
    private readonly ConcurrentDictionary<int, IDisposable> _held = new();

    /// <summary>The device's pooled CLI driver for one node. retryRefused: retry a connection the platform refuses (see
    /// <see cref="AdaptiveLimits"/>); false for a node with retries of its own, which then retries it (once is enough).</summary>
    /// need: the credential the node's service names and whether it changes the device (null: neither).
    public Task<DeviceSession> AcquireAsync(Device device, bool retryRefused, CredentialRequest? need, CancellationToken ct) =>
        OpenAsync(device, need, retryRefused, async (target, platform) => new DeviceSession(await _pool.LeaseAsync(device.Id, target, ct), platform), ct);

    /// <summary>A NETCONF session with the device on <paramref name="port"/>, with the run's credential for it and
    /// within its platform's session limit. Not pooled: each node opens its own, so locks never outlive the node.</summary>
    public Task<NetconfDeviceSession> OpenNetconfAsync(Device device, int port, bool retryRefused, CredentialRequest need, CancellationToken ct) =>
        OpenAsync(device, need, retryRefused, async (target, platform) => new NetconfDeviceSession(await drivers.ConnectNetconfAsync(target with { Port = port }, ct), platform), ct);

    /// <summary>An SFTP or SCP connection with the device, with the run's credential for it (and its gateways) and
    /// within its platform's session limit. Not pooled: a node opens its own and closes it when done.</summary>
    public Task<FileTransferSession> OpenFileTransferAsync(Device device, FileTransferProtocol protocol, bool retryRefused, CredentialRequest need,
        CancellationToken ct) =>
        OpenAsync(device, need, retryRefused, async (target, platform) => new FileTransferSession(await drivers.ConnectFileTransferAsync(target, protocol, ct), platform), ct);

    /// <summary>What every way of reaching a device shares: its target, a slot of its platform's caps (the run's
    /// adaptive one, then the limit across runs; freed if the connection fails, and the connection retried if the
    /// platform refused it), and a refused host key stored at once — not when the run ends — so that an admin can
    /// accept the offered key while the run goes on.</summary>
    private async Task<T> OpenAsync<T>(Device device, CredentialRequest? need, bool retryRefused, Func<DeviceTarget, IDisposable, Task<T>> open,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(device);
        var target = await TargetAsync(device, need ?? CredentialRequest.Any);
        if (HoldCapUntilReleased && _held.ContainsKey(device.Id))
        {
            return await OpenWithinAsync(device, target, Unheld.Instance, open, ct);
        }
        return await FanOut.ConnectAsync(device.Name, device.Platform, retryRefused, async adaptive =>
        {
            var opened = await OpenWithinAsync(device, target, HoldCapUntilReleased ? Unheld.Instance : adaptive, open, ct);
            if (HoldCapUntilReleased && !_held.TryAdd(device.Id, adaptive))
            {
                adaptive.Dispose();
            }
            return opened;
        }, ct);
    }

    /// <summary>Opens within the platform's limit across runs; <paramref name="adaptive"/> is freed with it.</summary>
    private async Task<T> OpenWithinAsync<T>(Device device, DeviceTarget target, IDisposable adaptive, Func<DeviceTarget, IDisposable, Task<T>> open, CancellationToken ct)
    {
        var platform = new Slots(adaptive, await limits.EnterAsync(device.Platform, ct));
        try
        {
            return await open(target, platform);
        }
        catch (HostKeyMismatchException)
        {
            platform.Dispose();
            await hostKeys.SaveAsync(CancellationToken.None);
            throw;
        }
        catch
        {
            platform.Dispose();
            throw;
        }
    }

    /// <summary>No place to free: the device holds its own until released.</summary>
    private sealed class Unheld : IDisposable
    {
        public static readonly Unheld Instance = new();

        public void Dispose()
        {
            // Freed by ReleaseAsync.
        }
    }

    /// <summary>The run's adaptive slot and the slot across runs, freed together (the adaptive one last: a connection
    /// waiting on it may enter the other at once).</summary>
    private sealed class Slots(IDisposable adaptive, IDisposable shared) : IDisposable
    {
        private int _freed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _freed, 1) == 0)
            {
                shared.Dispose();
                adaptive.Dispose();
            }
        }
    }

    /// <summary>The device's target, its credential resolved once per run (and per credential asked), and its secrets
    /// added to what is redacted: what handlers that hand the login to another program (Ansible, Python) ask.</summary>
    /// <exception cref="DeviceException">No credential applies, or the run's user may not use it.</exception>
    public async Task<DeviceTarget> TargetAsync(Device device, CredentialRequest need)
    {
        ArgumentNullException.ThrowIfNull(device);
        var target = (await ResolvedAsync(device, need)).Target;
        // A gateway's login is as secret as the device's: a banner or error quoting it is masked too.
        AddSecrets(target.Secrets);
        return target;
    }

    private Task<ResolvedTarget> ResolvedAsync(Device device, CredentialRequest need) =>
        _targets.GetOrAdd((device.Id, need.Named, need.Writes), _ => new Lazy<Task<ResolvedTarget>>(
            () => targets.ResolveAsync(device, need with { User = User }, CancellationToken.None))).Value;

    /// <summary>The name of the read-only credential this run logs in to the device with, or null: read-write, or
    /// none applies (connecting then fails with that reason). The same resolution the connection uses.</summary>
    public async Task<string?> ReadOnlyCredentialAsync(Device device, CredentialRequest need)
    {
        ArgumentNullException.ThrowIfNull(device);
        try
        {
            return (await ResolvedAsync(device, need)).ReadOnlyCredential;
        }
        catch (DeviceException)
        {
            return null;
        }
    }

    /// <summary>SSH sessions this run holds open right now.</summary>
    public int OpenSessions => _pool.OpenConnections;

    /// <summary>The device has no node left in this run: close its session now rather than when the run ends.</summary>
    public async Task ReleaseAsync(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        foreach (var key in _targets.Keys.Where(k => k.Device == device.Id))
        {
            _targets.TryRemove(key, out _);
        }
        await _pool.ReleaseAsync(device.Id);
        // Its sessions are closed now: its place in the adaptive cap goes to the next device.
        if (_held.TryRemove(device.Id, out var place))
        {
            place.Dispose();
        }
    }

    /// <summary>Secrets this run knows (a device's credential, the decrypted secret parameters of its services),
    /// masked from then on in every result and log line.</summary>
    public void AddSecrets(IEnumerable<string> secrets)
    {
        var known = secrets.ToList();
        if (_secrets.With(known) == _secrets)
        {
            return;
        }
        lock (_secretsLock)
        {
            // Under the lock, so that no redactor built concurrently can drop a secret added here.
            _secrets = _secrets.With(known);
        }
    }

    /// <summary>Replaces every secret this run knows by a marker (see <see cref="SecretRedactor"/>).</summary>
    public string Redact(string text) => _secrets.Redact(text);

    public async ValueTask DisposeAsync()
    {
        await _pool.DisposeAsync();
        foreach (var place in _held.Values)
        {
            place.Dispose();
        }
        _held.Clear();
    }
}

/// <summary>How many sessions each platform may have open at once across all runs (Automation:PlatformLimits);
/// platforms not listed are unlimited. With <paramref name="cluster"/> (runs distributed across a cluster) the limit
/// holds across the cluster's nodes: a session also takes a place of <see cref="ClusterLeases"/>.</summary>
public sealed class PlatformLimits(IReadOnlyDictionary<string, int> limits, ClusterLeases? cluster = null)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The configured limits: where a run's adaptive caps start (<see cref="AdaptiveLimits"/>).</summary>
    public IReadOnlyDictionary<string, int> Configured => limits;

    public async Task<IDisposable> EnterAsync(string platform, CancellationToken ct)
    {
        if (!limits.TryGetValue(platform, out var limit) || limit <= 0)
        {
            return Lease.None;
        }
        var gate = _gates.GetOrAdd(platform, _ => new SemaphoreSlim(limit, limit));
        await gate.WaitAsync(ct);
        if (cluster is null)
        {
            return new Lease(gate, null);
        }
        try
        {
            // This node's own gate first: its sessions wait here, and only as many as the limit ask the database.
            return new Lease(gate, await cluster.TakeAsync(ClusterLeases.PlatformScope(platform), limit, ct));
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    private sealed class Lease(SemaphoreSlim? gate, ClusterLease? place) : IDisposable
    {
        public static readonly Lease None = new(null, null);

        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                place?.Dispose();
                gate?.Release();
            }
        }
    }
}
