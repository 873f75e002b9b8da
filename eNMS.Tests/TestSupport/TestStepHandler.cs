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
}

/// <summary>A service kind for engine tests, registered through the same one-line extension point as the real
/// ones: it succeeds or fails by device name, fails its first attempts, waits, and echoes a template.</summary>
public sealed class TestStepHandler : ServiceHandler<TestStepParameters>
{
    private readonly ConcurrentDictionary<string, int> _attempts = new();

    public override string Kind => "test_step";

    protected override async Task<ServiceResult> ExecuteAsync(ServiceContext context, TestStepParameters p, CancellationToken ct)
    {
        var device = context.Device?.Name ?? "(once)";
        var attempt = _attempts.AddOrUpdate($"{context.Run.Id}/{context.Node}/{device}", 1, (_, n) => n + 1);
        if (p.DelayMs > 0)
        {
            await Task.Delay(p.DelayMs, ct);
        }
        var echo = await context.RenderAsync(p.Echo);
        if (attempt <= p.FailTimes)
        {
            return ServiceResult.Fail($"attempt {attempt} fails on purpose", echo);
        }
        return p.FailOn.Split(',', StringSplitOptions.TrimEntries).Contains(device)
            ? ServiceResult.Fail($"{device} fails on purpose", echo)
            : ServiceResult.Ok(echo, data: new { device, attempt });
    }
}
