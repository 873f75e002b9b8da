using System.Text.Json;
using eNMS.Core.Data;
using eNMS.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace eNMS.Core.Automation;

/// <summary>Bound from the "Retention" section: how long finished runs (with their results and logs) are kept.
/// Both limits are off by default, so nothing is ever purged that an admin did not ask to purge.</summary>
public sealed class RetentionOptions
{
    /// <summary>Finished runs that ended more than this many days ago are purged; 0 keeps them whatever their age.</summary>
    public int RunDays { get; set; }

    /// <summary>Only the newest this-many finished runs of each service or workflow are kept; 0: no limit.</summary>
    public int RunsPerService { get; set; }

    /// <summary>When the purge runs, as a Quartz cron expression in UTC (default: every day at 03:15).</summary>
    public string Cron { get; set; } = "0 15 3 * * ?";

    public bool Enabled => RunDays > 0 || RunsPerService > 0;

    /// <summary>Null when valid, else what is wrong, naming the setting.</summary>
    public string? Validate() =>
        RunDays < 0 ? $"Retention:RunDays must be 0 (keep) or a number of days, not {RunDays}."
        : RunsPerService < 0 ? $"Retention:RunsPerService must be 0 (no limit) or a number of runs, not {RunsPerService}."
        : Scheduling.ScheduleTiming.CronProblem(Cron) is { } problem ? $"Retention:Cron: {problem}"
        : null;
}

/// <summary>What a purge removed (or, for a preview, would remove).</summary>
public sealed record RetentionReport(int Runs, int Results, int Logs, DateTimeOffset? EndedBefore, int RunsPerService);

/// <summary>
/// The one place finished runs are deleted: by age and by count per service, in batches (a year of runs is never one
/// statement or one transaction), with their results and logs in chunks of at most <see cref="RowChunk"/> rows, and one audit entry per purge that removed anything.
/// Runs still pending or running are never touched, nor a finished run that an unfinished restart is built on.
/// Configuration versions are kept: they belong to the device, and only name the run that fetched them.
/// </summary>
public sealed class RunRetention(IDbContextFactory<EnmsDbContext> dbFactory, IOptionsMonitor<RetentionOptions> options, AuditLog audit,
    TimeProvider time, ILogger<RunRetention> logger)
{
    private const int BatchSize = 500;
    /// <summary>Most results (or log lines) one DELETE removes.</summary>
    internal const int RowChunk = 10_000;
    private static readonly RunStatus[] Finished = [RunStatus.Completed, RunStatus.Failed, RunStatus.Cancelled, RunStatus.Interrupted];
    private static readonly RunStatus[] Unfinished = [.. Enum.GetValues<RunStatus>().Except(Finished)];

    public RetentionOptions Policy => options.CurrentValue;

    /// <summary>Counts what <see cref="PurgeAsync"/> would remove now, deleting nothing.</summary>
    public async Task<RetentionReport> PreviewAsync(CancellationToken ct)
    {
        var policy = Policy;
        var endedBefore = Cutoff(policy);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = await ExpiredRunIdsAsync(db, policy, endedBefore, int.MaxValue, ct);
        return new RetentionReport(ids.Count,
            await db.RunResults.CountAsync(r => ids.Contains(r.RunId), ct),
            await db.RunLogs.CountAsync(l => ids.Contains(l.RunId), ct), endedBefore, policy.RunsPerService);
    }

    /// <summary>Deletes what the policy says is expired; <paramref name="actor"/> is who asked (null: the nightly job).</summary>
    public async Task<RetentionReport> PurgeAsync(AuditActor? actor, CancellationToken ct)
    {
        var policy = Policy;
        if (policy.Validate() is { } invalid)
        {
            throw new InvalidOperationException(invalid);
        }
        var endedBefore = Cutoff(policy);
        var (runs, results, logs) = (0, 0, 0);
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var batch = await ExpiredRunIdsAsync(db, policy, endedBefore, BatchSize, ct);
            if (batch.Count == 0)
            {
                break;
            }
            // Results and log lines go first, at most RowChunk per statement (a run can hold 100,000 results), each
            // statement its own short transaction: the database is never held for long. A purge stopped half-way leaves
            // expired runs with fewer results, which the next purge removes.
            results += await DeleteInChunksAsync(db.RunResults.Where(r => batch.Contains(r.RunId)).Select(r => r.Id),
                ids => db.RunResults.Where(r => EF.Parameter(ids).Contains(r.Id)).ExecuteDeleteAsync(ct), ct);
            logs += await DeleteInChunksAsync(db.RunLogs.Where(l => batch.Contains(l.RunId)).Select(l => l.Id),
                ids => db.RunLogs.Where(l => EF.Parameter(ids).Contains(l.Id)).ExecuteDeleteAsync(ct), ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.ApprovalDecisions.Where(a => batch.Contains(a.RunId)).ExecuteDeleteAsync(ct);
            runs += await db.Runs.Where(r => batch.Contains(r.Id)).ExecuteDeleteAsync(ct);
            await transaction.CommitAsync(ct);
        }
        var report = new RetentionReport(runs, results, logs, endedBefore, policy.RunsPerService);
        // The nightly job records only purges that removed something; an admin who asks is always recorded.
        if (runs > 0 || actor is not null)
        {
            logger.LogInformation("Retention purged {Runs} runs, {Results} results and {Logs} log lines", runs, results, logs);
            await audit.WriteAsync(actor, "retention purge", "run", null, $"{runs} runs",
                JsonSerializer.Serialize(new { report.Runs, report.Results, report.Logs, report.EndedBefore, report.RunsPerService }), ct);
        }
        return report;
    }

    /// <summary>Deletes the rows <paramref name="ids"/> selects, <see cref="RowChunk"/> at a time (bounded: a batch of
    /// runs holds a finite number of rows, and each round removes what it read).</summary>
    private static async Task<int> DeleteInChunksAsync(IQueryable<long> ids, Func<List<long>, Task<int>> delete, CancellationToken ct)
    {
        var deleted = 0;
        while (await ids.Take(RowChunk).ToListAsync(ct) is { Count: > 0 } chunk)
        {
            deleted += await delete(chunk);
        }
        return deleted;
    }

    private DateTimeOffset? Cutoff(RetentionOptions policy) => policy.RunDays > 0 ? time.GetUtcNow().AddDays(-policy.RunDays) : null;

    /// <summary>Up to <paramref name="limit"/> ids of finished runs past the age limit or beyond the per-service count.</summary>
    private static async Task<List<int>> ExpiredRunIdsAsync(EnmsDbContext db, RetentionOptions policy, DateTimeOffset? endedBefore, int limit, CancellationToken ct)
    {
        // A restart reads the results of the run it restarts: that run stays while the restart is unfinished.
        var neededByRestarts = db.Runs.Where(r => !Finished.Contains(r.Status) && r.RestartOfRunId != null).Select(r => r.RestartOfRunId!.Value);
        var finished = db.Runs.Where(r => Finished.Contains(r.Status) && !neededByRestarts.Contains(r.Id));
        var ids = new List<int>();
        if (endedBefore is { } before)
        {
            // The age scan reads runs in id order through the primary key; status and restarts are judged here: a status
            // filter in SQL leads SQLite to IX_Runs_Status_Id and a sort of every finished run, once per batch.
            var needed = (await db.Runs.Where(r => Unfinished.Contains(r.Status) && r.RestartOfRunId != null)
                .Select(r => r.RestartOfRunId!.Value).ToListAsync(ct)).ToHashSet();
            await AddEndedBeforeAsync(db.Runs.AsNoTracking(), needed, before, ids, limit, ct);
        }
        if (policy.RunsPerService > 0 && ids.Count < limit)
        {
            var crowded = await finished.GroupBy(r => r.ServiceId).Where(g => g.Count() > policy.RunsPerService).Select(g => g.Key).ToListAsync(ct);
            foreach (var serviceId in crowded)
            {
                var beyond = await finished.Where(r => r.ServiceId == serviceId).OrderByDescending(r => r.Id)
                    .Skip(policy.RunsPerService).Select(r => r.Id).Take(limit).ToListAsync(ct);
                ids.AddRange(beyond.Except(ids));
                if (ids.Count >= limit)
                {
                    break;
                }
            }
        }
        return ids.Count > limit ? ids[..limit] : ids;
    }

    /// <summary>SQLite cannot compare DateTimeOffset columns in SQL, so the age is judged here, over pages of the oldest
    /// runs in id order; ids grow with creation time, so the scan stops at the first run created after the cutoff and
    /// only ever reads expired runs plus one page.</summary>
    private static async Task AddEndedBeforeAsync(IQueryable<Run> runs, HashSet<int> neededByRestarts, DateTimeOffset before, List<int> ids, int limit,
        CancellationToken ct)
    {
        const int Page = 1_000;
        var afterId = 0;
        while (ids.Count < limit)
        {
            var page = await runs.Where(r => r.Id > afterId).OrderBy(r => r.Id).Select(r => new { r.Id, r.Status, r.CreatedAt, r.EndedAt }).Take(Page).ToListAsync(ct);
            foreach (var run in page)
            {
                if (run.CreatedAt >= before || ids.Count == limit)
                {
                    return;
                }
                if ((run.EndedAt ?? run.CreatedAt) < before && Finished.Contains(run.Status) && !neededByRestarts.Contains(run.Id))
                {
                    ids.Add(run.Id);
                }
            }
            if (page.Count < Page)
            {
                return;
            }
            afterId = page[^1].Id;
        }
    }
}
