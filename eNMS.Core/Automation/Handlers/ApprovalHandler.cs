using System.Globalization;
using eNMS.Core.Automation.Approvals;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Configurations;
using Microsoft.Extensions.Options;

namespace eNMS.Core.Automation.Handlers;

public sealed class ApprovalParameters
{
    /// <summary>Users who may decide besides editors and admins.</summary>
    public List<string> Approvers { get; set; } = [];
    /// <summary>Whether the user who started the run may approve it (four eyes when false).</summary>
    public bool AllowSelfApproval { get; set; }
    public double TimeoutMinutes { get; set; } = 60;
    /// <summary>The decision taken when nobody decided in time.</summary>
    public ApprovalVerdict OnTimeout { get; set; } = ApprovalVerdict.Rejected;
    /// <summary>The earlier node (id or service name) whose diff or output the approver sees; empty: the device's latest.</summary>
    public string Source { get; set; } = "";
    /// <summary>A webhook URL or mail recipients told that the run waits, with a link to it; empty: nobody is told.</summary>
    public string NotifyTo { get; set; } = "";
    public NotificationChannel NotifyChannel { get; set; }
}

/// <summary><c>approval</c>: holds each device until an approver approves it (success edge) or rejects it (failure
/// edge), showing them the diff of the node before; a default decision when nobody decides in time.</summary>
public sealed class ApprovalHandler(ApprovalGate gate, OutboundHttp http, IOptionsMonitor<SmtpOptions> smtp, IOptionsMonitor<AutomationOptions> options)
    : ServiceHandler<ApprovalParameters>
{
    public const double MaxTimeoutMinutes = 7 * 24 * 60;
    private const int MaxApprovers = 100;

    public const string KindName = "approval";

    public override string Kind => KindName;

    public override string Description => "Waits for an approver to approve (success edge) or reject (failure edge) each device, showing them the diff of the node before.";

    protected override ApprovalParameters ExampleParameters => new() { TimeoutMinutes = 60, OnTimeout = ApprovalVerdict.Rejected };

    protected override string? Validate(ApprovalParameters p) =>
        p.TimeoutMinutes is not (> 0 and <= MaxTimeoutMinutes) ? $"timeoutMinutes is more than 0 and at most {MaxTimeoutMinutes} (7 days)."
            : p.OnTimeout == ApprovalVerdict.Pending ? "onTimeout is Approved or Rejected."
            : p.Approvers.Count > MaxApprovers || p.Approvers.Any(a => a.Length is 0 or > 256 || a.Contains(',', StringComparison.Ordinal))
                ? $"approvers is a list of at most {MaxApprovers} user names."
            : p.NotifyTo.Length > 0 && p.NotifyChannel == NotificationChannel.Webhook && !Uri.TryCreate(p.NotifyTo, UriKind.Absolute, out _)
                ? "notifyTo is an absolute webhook URL (or mail recipients with notifyChannel Mail)."
            : null;

    protected override async Task<ServiceResult> ExecuteAsync(ServiceContext context, ApprovalParameters p, CancellationToken ct)
    {
        if (context.Device is not { } device)
        {
            return ServiceResult.Fail("An approval gate decides device by device: give it devices (it cannot run once per run).");
        }
        var source = Source(context, p.Source);
        var preview = source is null ? "" : ConfigMasking.MaskSecrets(source.Diff.Length > 0 ? source.Diff : source.Output);
        var opening = await gate.OpenAsync(context.Run, new ApprovalDecision
        {
            Node = context.Node,
            ServiceId = context.Service.Id,
            DeviceId = device.Id,
            DeviceName = device.Name,
            Preview = preview.Length > ApprovalGate.MaxPreviewChars ? preview[..ApprovalGate.MaxPreviewChars] + "\n[… cut by eNMS]" : preview,
            PreviewNode = source?.Node ?? "",
            Approvers = string.Join(",", p.Approvers.Select(a => a.Trim())),
            AllowSelfApproval = p.AllowSelfApproval,
            ExpiresAt = context.Time.GetUtcNow().AddMinutes(p.TimeoutMinutes),
        }, ct);
        if (opening.KeptFromRunId is int earlier)
        {
            context.Log($"the decision taken in run #{earlier} holds");
        }
        else if (opening.Created)
        {
            context.Log($"waiting for approval until {opening.Decision.ExpiresAt.ToString("u", CultureInfo.InvariantCulture)} ({p.OnTimeout} then)");
            if (opening.First && p.NotifyTo.Length > 0)
            {
                await NotifyAsync(context, p, ct);
            }
        }
        var decision = await context.WaitForPeopleAsync($"approval at '{context.Service.Name}'",
            () => gate.AwaitAsync(opening.Decision.Id, p.OnTimeout, $"Nobody decided within {p.TimeoutMinutes:0.##} minute(s).", ct), ct);
        var said = $"{decision.Decision} by {decision.DecidedBy} at {decision.DecidedAt?.ToString("u", CultureInfo.InvariantCulture)}"
            + (decision.Comment.Length > 0 ? $": {decision.Comment}" : "");
        var data = new { decision = decision.Decision, by = decision.DecidedBy, at = decision.DecidedAt, comment = decision.Comment };
        return decision.Decision == ApprovalVerdict.Approved ? ServiceResult.Ok(said, data: data) : ServiceResult.Fail(said, data: data);
    }

    /// <summary>The earlier result of the device the approver is shown: the source node's, or the latest other node's.</summary>
    private static RunResult? Source(ServiceContext context, string source) =>
        context.EarlierResults.LastOrDefault(r => r.DeviceId == context.Device!.Id && !r.IsRunLevel && r.ServiceId != context.Service.Id
            && (source.Length == 0 || r.Node == source || r.Node.EndsWith($"/{source}", StringComparison.Ordinal) || r.ServiceName == source));

    /// <summary>Tells the approvers once per gate and run; a failure is a warning in the log, never the device's.</summary>
    private async Task NotifyAsync(ServiceContext context, ApprovalParameters p, CancellationToken ct)
    {
        var link = $"{options.CurrentValue.PublicUrl.TrimEnd('/')}/runs/{context.Run.Id}";
        var subject = $"eNMS: run #{context.Run.Id} waits for approval";
        var body = $"Run #{context.Run.Id} of {context.Run.ServiceName}, started by {context.Run.CreatedBy}, waits for approval at {context.Service.Name}: {link}";
        var sent = await NotificationHandler.SendAsync(http, smtp.CurrentValue, p.NotifyChannel, p.NotifyTo, subject, body, ct);
        context.Log(sent.Success ? $"approvers notified ({sent.Output})" : $"approvers could not be notified: {context.Redact(sent.Error)}", sent.Success ? "info" : "warning");
    }
}
