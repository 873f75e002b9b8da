using System.Collections.Concurrent;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Automation.Handlers;

namespace eNMS.Tests.TestSupport;

public sealed class TestStepParameters
{
    /// <summary>Comma-separated device names this step fails on.</summary>
    public string FailOn { get; set; } = "";
    /// <summary>Fail the first N attempts on every device, then succeed.</summary>
    public int FailTimes { get; set; }
    public int DelayMs { get; set; }
    /// <summary>Rendered as a template into the output.</summary>
    public string Echo { get; set; } = "";
    /// <summary>When ≥ 0: wait (up to 20 s) until the lab emulator has at most this many SSH sessions open, and fail
    /// if it never does — what a run still holds open, seen from the device side.</summary>
    public int EmulatorSessionsAtMost { get; set; } = -1;
    /// <summary>The step counts as changing its device (change freezes and read-only credentials apply) without connecting.</summary>
    public bool Changes { get; set; }
    /// <summary>Count only the sessions to these device addresses (comma-separated); empty: every session.</summary>
    public string EmulatorHosts { get; set; } = "";
}

/// <summary>A service kind for engine tests, registered through the same one-line extension point as the real
/// ones: it succeeds or fails by device name, fails its first attempts, waits, and echoes a template.</summary>
public sealed class TestStepHandler : ServiceHandler<TestStepParameters>
{
    private readonly ConcurrentDictionary<string, int> _attempts = new();

    public override string Kind => "test_step";

    public override string Description => "Succeeds or fails by device name, for engine tests.";

    protected override bool ChangesDevices(TestStepParameters p) => p.Changes;

    protected override TestStepParameters ExampleParameters => new() { Echo = "{{ device.name }}" };

    protected override async Task<ServiceResult> ExecuteAsync(ServiceContext context, TestStepParameters p, CancellationToken ct)
    {
        var device = context.Device?.Name ?? "(once)";
        var attempt = _attempts.AddOrUpdate($"{context.Run.Id}/{context.Node}/{device}", 1, (_, n) => n + 1);
        if (p.DelayMs > 0)
        {
            await Task.Delay(p.DelayMs, ct);
        }
        var echo = await context.RenderAsync(p.Echo);
        if (p.EmulatorSessionsAtMost >= 0)
        {
            var hosts = p.EmulatorHosts.Length == 0 ? null : p.EmulatorHosts.Split(',', StringSplitOptions.TrimEntries);
            var sessions = await Lab.LabFixture.EmulatorProcessesAsync(hosts);
            // sshd ends a session's processes shortly after the client closes it: give it time, bounded.
            for (var wait = 0; sessions > p.EmulatorSessionsAtMost && wait < 100; wait++)
            {
                await Task.Delay(200, ct);
                sessions = await Lab.LabFixture.EmulatorProcessesAsync(hosts);
            }
            if (sessions > p.EmulatorSessionsAtMost)
            {
                return ServiceResult.Fail($"{sessions} emulator sessions open, more than {p.EmulatorSessionsAtMost}", echo);
            }
        }
        if (attempt <= p.FailTimes)
        {
            return ServiceResult.Fail($"attempt {attempt} fails on purpose", echo);
        }
        return p.FailOn.Split(',', StringSplitOptions.TrimEntries).Contains(device)
            ? ServiceResult.Fail($"{device} fails on purpose", echo)
            : ServiceResult.Ok(echo, data: new { device, attempt });
    }
}
