namespace eNMS.Core.Automation.Execution;

/// <summary>Bound from the "Automation" section.</summary>
public sealed class AutomationOptions
{
    /// <summary>Longest output kept per result; the rest is replaced by a visible marker.</summary>
    public int MaxOutputChars { get; set; } = 1_000_000;

    /// <summary>Runs executing at once on this node; more wait in the queue.</summary>
    public int MaxConcurrentRuns { get; set; } = 8;

    /// <summary>Sessions a platform may have open at once across all runs, e.g. { "cisco_ios": 10 } for devices
    /// that reset SSH when too many sessions hit them.</summary>
    public Dictionary<string, int> PlatformLimits { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Connection attempts per device when its platform refuses or resets connections (the first included);
    /// the run's cap for that platform is lowered meanwhile (see <see cref="AdaptiveLimits"/>). 1: never retried.</summary>
    public int ConnectAttempts { get; set; } = 3;

    /// <summary>The wait before a refused connection's second attempt; each later attempt waits twice as long.</summary>
    public TimeSpan ConnectRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The most a device waits in all between its connection attempts; a retry that would wait longer is not made.</summary>
    public TimeSpan ConnectRetryMaxWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The retry policy these options describe (bounded: at most 10 attempts, 10 minutes of waiting).</summary>
    public ConnectRetryPolicy ConnectRetries => new(Math.Clamp(ConnectAttempts, 1, 10),
        TimeSpan.FromTicks(Math.Clamp(ConnectRetryDelay.Ticks, 0, TimeSpan.TicksPerMinute)),
        TimeSpan.FromTicks(Math.Clamp(ConnectRetryMaxWait.Ticks, 0, 10 * TimeSpan.TicksPerMinute)));

    /// <summary>Largest NETCONF reply accepted (a get-config of a big device included); a larger one fails the operation.</summary>
    public long NetconfMaxReplyBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>The only local directory <c>file_transfer</c> reads from and writes to; paths given to it are relative to
    /// this one. Empty: file transfers are refused.</summary>
    public string FileTransferDirectory { get; set; } = "";

    /// <summary>Largest file <c>file_transfer</c> copies either way, in bytes.</summary>
    public long FileTransferMaxBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Keep each device's configuration before a run first changes it, so the run can be reverted (a device
    /// whose configuration cannot be read is then not changed). Off: changing runs cannot be reverted.</summary>
    public bool SnapshotBeforeChange { get; set; } = true;

    /// <summary>How long a simulated device takes per command (the demo network), so a run's progress can be followed.</summary>
    public TimeSpan SimulatorCommandDelay { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>The address users open eNMS at (https://enms.example.net): links in notifications (an approval gate's)
    /// start with it. Empty: links are relative (/runs/12).</summary>
    public string PublicUrl { get; set; } = "";

    /// <summary>Service kinds only admins may create or change (running them stays with the run policy and the service's run
    /// list), e.g. ["python_script", "ansible_playbook", "rest_call"]. Unset: <see cref="DefaultAdminOnlyKinds"/>. Null by
    /// default because configuration binding appends to a list that has items, so a default could never be removed.</summary>
    public List<string>? AdminOnlyKinds { get; set; }

    /// <summary>python_script runs code as the server's user.</summary>
    public static IReadOnlyList<string> DefaultAdminOnlyKinds { get; } = ["python_script"];
}
