using eNMS.Core.Automation.Execution;
using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Security;

/// <summary>
/// Which live run events a subscriber may receive: the same rules as the scoped context's query filters (<see cref="EnmsDbContext.ScopePoolIds"/>), decided per event in
/// memory. Taken when the subscription starts (a device added to the user's pools later shows after a reload).
/// Progress events carry only counts and always pass, as do reload markers (<see cref="RunEventsLost"/>).
/// </summary>
public sealed class RunEventScope
{
    private readonly HashSet<int>? _devices;
    private readonly bool _whole;

    private RunEventScope(HashSet<int>? devices, bool whole) => (_devices, _whole) = (devices, whole);

    /// <summary>Every event: for users who see every device, and for the engine's own listeners.</summary>
    public static RunEventScope Everything { get; } = new(null, true);

    /// <summary>For one run: results of its in-scope targets; its log and device-less results only if every target
    /// is in scope. A run the user does not see at all passes nothing but progress.</summary>
    public static async Task<RunEventScope> ForRunAsync(EnmsDbContext scoped, int runId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scoped);
        if (scoped.ScopePoolIds is null)
        {
            return Everything;
        }
        if (await scoped.Runs.Where(r => r.Id == runId).Select(r => r.DeviceIds).FirstOrDefaultAsync(ct) is not { } targets)
        {
            return new RunEventScope([], false);
        }
        var visible = await scoped.Devices.Select(d => d.Id).Where(id => targets.Contains(id)).ToListAsync(ct);
        return new RunEventScope([.. visible], visible.Count == targets.Distinct().Count());
    }

    /// <summary>For lists of every run: results of in-scope devices; no log lines and no device-less results.</summary>
    public static async Task<RunEventScope> ForAllRunsAsync(EnmsDbContext scoped, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scoped);
        return scoped.ScopePoolIds is not null ? new RunEventScope([.. await scoped.Devices.Select(d => d.Id).ToListAsync(ct)], false) : Everything;
    }

    /// <summary>Whether the run's log and device-less results reach the subscriber: every target of the run is in scope.</summary>
    public bool ShowsWholeRun => _whole;

    public bool Allows(RunEvent runEvent) => _devices is null || runEvent switch
    {
        RunProgressed or RunEventsLost => true,
        ResultRecorded { Recorded.DeviceId: { } id } => _devices.Contains(id),
        NodeStarted { DeviceId: { } id } => _devices.Contains(id),
        TransferProgressed { DeviceId: { } id } => _devices.Contains(id),
        ApprovalsChanged { DeviceId: var id } => _devices.Contains(id),
        _ => _whole,
    };
}
