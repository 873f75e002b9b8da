using System.Globalization;
using System.Text;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Configurations;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Drivers;
using eNMS.Drivers.Cli;
using eNMS.Drivers.Simulation;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Terminal;

/// <summary>Opens web terminals (SSH or Telnet, as the device says): the device's stored credential logs in on the server (the browser never gets
/// it), the host key is checked like every driver session, and the session is recorded and audited. A simulated
/// device's terminal is answered by the simulator in process, recorded and audited the same way.</summary>
public sealed class WebTerminals(IDbContextFactory<EnmsDbContext> dbFactory, DeviceTargets targets, KnownHosts knownHosts,
    HostKeyStore hostKeys, DeviceSimulator simulator, AuditLog audit, TimeProvider time)
{
    /// <summary>Largest transcript kept per session; the rest is dropped with a marker.</summary>
    public const int MaxTranscriptChars = 1_000_000;

    /// <exception cref="DeviceException">No credential, refused login, changed host key, unreachable device, or one
    /// that is never dialled (a documentation address that is not simulated).</exception>
    /// <exception cref="ArgumentException">No such device, or it is outside the user's pools (told apart by no one).</exception>
    public async Task<WebTerminal> OpenAsync(int deviceId, AuditActor user, IReadOnlyList<int>? scopePoolIds, int columns, int rows, Func<string, Task> onOutput, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(onOutput);
        ArgumentNullException.ThrowIfNull(user);
        // Scoped: a device outside the user's pools does not exist for them.
        await using var db = await dbFactory.CreateScopedAsync(scopePoolIds, ct);
        var device = await db.Devices.AsNoTracking().FirstOrDefaultAsync(d => d.Id == deviceId, ct)
            ?? throw new ArgumentException($"Device #{deviceId} does not exist.", nameof(deviceId));
        // The user's credential (their use lists apply), as a run of theirs would log in; a terminal may change the device.
        var target = await targets.ForAsync(device, new Inventory.CredentialRequest(Writes: true, User: user), ct);
        var shell = target.Simulated
            ? await simulator.OpenTerminalAsync(target, ct)
            : await OpenNetworkShellAsync(target, columns, rows, ct);
        var session = new TerminalSession { DeviceId = device.Id, DeviceName = device.Name, User = user.User, StartedAt = time.GetUtcNow() };
        db.TerminalSessions.Add(session);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync("terminal open", "terminal session", session.Id.ToString(CultureInfo.InvariantCulture), device.Name, user: user.User, ct: ct);
        return new WebTerminal(this, session, shell, new SecretRedactor(target.Secrets), onOutput);
    }

    private async Task<ITerminalShell> OpenNetworkShellAsync(DeviceTarget target, int columns, int rows, CancellationToken ct)
    {
        await hostKeys.LoadAsync(ct);
        try
        {
            return await Shells.OpenTerminalAsync(target, knownHosts, columns, rows, ct);
        }
        finally
        {
            // The offered key is stored at once: a new one as trusted, a changed one for the admin who will be asked
            // to accept it.
            await hostKeys.SaveAsync(CancellationToken.None);
        }
    }

    internal async Task CloseAsync(TerminalSession session, string transcript)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var stored = await db.TerminalSessions.FirstAsync(s => s.Id == session.Id);
        (stored.EndedAt, stored.Transcript) = (time.GetUtcNow(), transcript);
        await db.SaveChangesAsync(CancellationToken.None);
        await audit.WriteAsync("terminal close", "terminal session", session.Id.ToString(CultureInfo.InvariantCulture), session.DeviceName,
            $"{transcript.Length:N0} characters recorded", user: session.User, ct: CancellationToken.None);
    }

    /// <summary>What a transcript keeps: the credential's secrets and configuration secrets masked.</summary>
    public static string Redact(string text, SecretRedactor secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        return ConfigMasking.MaskSecrets(secrets.Redact(text));
    }
}

/// <summary>One open terminal: input from the browser goes to the device, the device's output is pushed to the
/// browser as it arrives and recorded. Disposing closes the connection and stores the transcript.</summary>
public sealed class WebTerminal : IAsyncDisposable
{
    private readonly WebTerminals _owner;
    private readonly TerminalSession _session;
    private readonly ITerminalShell _shell;
    private readonly SecretRedactor _secrets;
    private readonly StringBuilder _transcript = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private int _disposed;

    /// <summary>Longest wait for the connection and the output pump to stop before the session is recorded.</summary>
    private static readonly TimeSpan TeardownBound = TimeSpan.FromSeconds(5);

    internal WebTerminal(WebTerminals owner, TerminalSession session, ITerminalShell shell, SecretRedactor secrets, Func<string, Task> onOutput)
    {
        (_owner, _session, _shell, _secrets) = (owner, session, shell, secrets);
        _pump = PumpAsync(onOutput);
    }

    public long SessionId => _session.Id;

    /// <summary>Set when the device closed the session (logout, drop).</summary>
    public bool Closed { get; private set; }

    public ValueTask SendAsync(string input, CancellationToken ct) => _shell.WriteAsync(input, ct);

    public void Resize(int columns, int rows) => _shell.Resize(columns, rows);

    private async Task PumpAsync(Func<string, Task> onOutput)
    {
        try
        {
            while (await _shell.ReadAsync(_stop.Token) is { } chunk)
            {
                Record(chunk);
                await onOutput(chunk);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return;
        }
        catch (IOException)
        {
            // The connection dropped: the session ends like a logout.
        }
        Closed = true;
        await onOutput("\r\n[session closed by the device]\r\n");
    }

    private void Record(string chunk)
    {
        lock (_transcript)
        {
            if (_transcript.Length < WebTerminals.MaxTranscriptChars)
            {
                _transcript.Append(chunk.AsSpan(0, Math.Min(chunk.Length, WebTerminals.MaxTranscriptChars - _transcript.Length)));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        try
        {
            await _stop.CancelAsync();
            // Bounded: the pump may be waiting on the browser (a write to a page that is going away) and a device
            // may be slow to answer the disconnect; neither may keep the session open in the audit trail.
            await Task.Run(async () =>
            {
                await _shell.DisposeAsync();
                await _pump;
            }).WaitAsync(TeardownBound);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever ended the pump (a read in flight, a browser that left mid-write, the bound above), the
            // session is still closed and recorded below.
        }
        string text;
        lock (_transcript)
        {
            text = _transcript.Length >= WebTerminals.MaxTranscriptChars ? _transcript + "\n[transcript truncated]" : _transcript.ToString();
        }
        await _owner.CloseAsync(_session, WebTerminals.Redact(text, _secrets));
        if (_pump.IsCompleted)
        {
            // A pump still stuck on the browser keeps reading the token; it ends when that write gives up.
            _stop.Dispose();
        }
    }
}
