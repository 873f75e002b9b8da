using System.Globalization;
using eNMS.Core.Data;
using eNMS.Core.Inventory.Editing;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Scheduling;

/// <summary>A freeze as edited on the page and through the API.</summary>
public sealed class FreezeInput
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string Reason { get; set; } = "";
    public bool Enabled { get; set; } = true;
    public DateTime? StartAt { get; set; }
    public DateTime? EndAt { get; set; }
    public string Cron { get; set; } = "";
    public int DurationMinutes { get; set; }
    public string TimeZone { get; set; } = "UTC";
    public List<int> PoolIds { get; set; } = [];
    public FreezeAction Action { get; set; }

    public static FreezeInput From(ChangeFreeze f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return new()
        {
            Id = f.Id,
            Name = f.Name,
            Reason = f.Reason,
            Enabled = f.Enabled,
            StartAt = f.StartAt,
            EndAt = f.EndAt,
            Cron = f.Cron,
            DurationMinutes = f.DurationMinutes,
            TimeZone = f.TimeZone,
            PoolIds = [.. f.PoolIds],
            Action = f.Action,
        };
    }
}

/// <summary>A freeze holding some of a run's devices now, and until when.</summary>
public sealed record FreezeHit(int FreezeId, string Name, string Reason, FreezeAction Action, DateTimeOffset Until, IReadOnlyList<int> DeviceIds)
{
    public string Describe() =>
        $"change freeze '{Name}'{(Reason.Length > 0 ? $" ({Reason})" : "")} holds {DeviceIds.Count} target device(s) until {Until.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}";
}

/// <summary>A freeze with its timing in words and its state now.</summary>
public sealed record FreezeView(ChangeFreeze Freeze, string Description, string State, FreezePeriod? InForce, IReadOnlyList<FreezePeriod> Next);

/// <summary>The one owner of change freezes: editing them (validated; audited by the interceptor as "change freeze")
/// and telling which hold which devices, for the launcher, the run dialog, the calendar and running nodes alike.</summary>
public sealed class ChangeFreezes(IDbContextFactory<EnmsDbContext> dbFactory, TimeProvider time, Automation.Execution.RunDispatcher dispatcher)
{
    /// <summary>Deferred runs looked at when a freeze changes (the oldest first).</summary>
    private const int MaxDeferredReviewed = 1_000;

    public const int MaxReasonLength = 1_000;

    private long _version;

    /// <summary>Counts the freezes saved and deleted through this node: a running run's <see cref="Automation.Execution.FreezeGuard"/>
    /// reads the freezes again at once when it moved (another node's edit is seen within the guard's refresh).</summary>
    public long Version => Interlocked.Read(ref _version);

    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a freeze is next saved or deleted through this node: a node deferred by a freeze looks
    /// again at once (<see cref="Automation.Execution.FreezeGuard.ChangedAsync"/>).</summary>
    public Task NextChange => Volatile.Read(ref _changed).Task;

    private void Moved()
    {
        Interlocked.Increment(ref _version);
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    public async Task<List<FreezeView>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = time.GetUtcNow();
        return (await db.ChangeFreezes.AsNoTracking().OrderBy(f => f.Name).ToListAsync(ct)).Select(f => View(f, now)).ToList();
    }

    public static FreezeView View(ChangeFreeze freeze, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(freeze);
        var inForce = FreezeCalendar.InForce(freeze, now);
        var next = freeze.Enabled ? FreezeCalendar.Periods(freeze, now, now.AddYears(2)).Where(p => p.Start > now).Take(5).ToList() : [];
        var state = !freeze.Enabled ? "disabled"
            : inForce is { } p ? $"in force until {Utc(p.End)}"
            : next.Count > 0 ? $"next from {Utc(next[0].Start)}"
            : "over";
        return new FreezeView(freeze, Describe(freeze), state, inForce, next);
    }

    public static string Describe(ChangeFreeze freeze)
    {
        ArgumentNullException.ThrowIfNull(freeze);
        var bounds = freeze.StartAt is null && freeze.EndAt is null ? ""
            : $", {(freeze.StartAt is { } s ? "from " + ScheduleTiming.Format(s) : "")}{(freeze.StartAt is not null && freeze.EndAt is not null ? " " : "")}{(freeze.EndAt is { } e ? "until " + ScheduleTiming.Format(e) : "")}";
        return freeze.Recurring
            ? $"{CronText.Describe(freeze.Cron)}, for {Duration(freeze.DurationMinutes)}{bounds} ({freeze.TimeZone})"
            : $"{(freeze.StartAt is { } a ? ScheduleTiming.Format(a) : "?")} → {(freeze.EndAt is { } b ? ScheduleTiming.Format(b) : "?")} ({freeze.TimeZone})";
    }

    public async Task<EditResult> SaveAsync(FreezeInput input, string user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var errors = new Dictionary<string, string>();
        var name = input.Name.Trim();
        if (Inventory.InventoryNames.Problem(name) is { } nameProblem)
        {
            errors["name"] = nameProblem;
        }
        else if (await db.ChangeFreezes.AnyAsync(f => f.Name == name && f.Id != input.Id, ct))
        {
            errors["name"] = "This name is already taken.";
        }
        if (input.Reason.Length > MaxReasonLength)
        {
            errors["reason"] = $"The reason is limited to {MaxReasonLength} characters.";
        }
        var unknownPools = input.PoolIds.Except(await db.Pools.Where(p => input.PoolIds.Contains(p.Id)).Select(p => p.Id).ToListAsync(ct)).ToList();
        if (unknownPools.Count > 0)
        {
            errors["poolIds"] = $"Unknown pool id(s): {string.Join(", ", unknownPools)}.";
        }
        ChangeFreeze? freeze;
        if (input.Id == 0)
        {
            freeze = new ChangeFreeze { Name = name, CreatedBy = user, CreatedAt = time.GetUtcNow() };
        }
        else if ((freeze = await db.ChangeFreezes.FirstOrDefaultAsync(f => f.Id == input.Id, ct)) is null)
        {
            return EditResult.NotFound($"Change freeze #{input.Id}");
        }
        (freeze.Name, freeze.Reason, freeze.Enabled, freeze.Cron, freeze.TimeZone, freeze.Action) =
            (name, input.Reason.Trim(), input.Enabled, input.Cron.Trim(), input.TimeZone.Trim(), input.Action);
        (freeze.StartAt, freeze.EndAt) = (input.StartAt, input.EndAt);
        freeze.DurationMinutes = freeze.Recurring ? input.DurationMinutes : 0;
        freeze.PoolIds = input.PoolIds.Distinct().Order().ToList();
        foreach (var (field, problem) in FreezeCalendar.Problems(freeze))
        {
            errors.TryAdd(field, problem);
        }
        if (errors.Count > 0)
        {
            return EditResult.Invalid(errors);
        }
        if (input.Id == 0)
        {
            db.ChangeFreezes.Add(freeze);
        }
        await db.SaveChangesAsync(ct);
        Moved();
        await ReleaseDeferredAsync(ct);
        return EditResult.Ok(freeze.Id);
    }

    public async Task<bool> DeleteAsync(int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.ChangeFreezes.FirstOrDefaultAsync(f => f.Id == id, ct) is not { } freeze)
        {
            return false;
        }
        db.ChangeFreezes.Remove(freeze);
        await db.SaveChangesAsync(ct);
        Moved();
        await ReleaseDeferredAsync(ct);
        return true;
    }

    /// <summary>After a freeze is deleted, disabled or shortened, the runs it deferred start as soon as nothing holds
    /// them any more, not at the end it had. A freeze added or lengthened never postpones a run already deferred: the
    /// running nodes check freezes themselves (<see cref="Automation.Execution.FreezeGuard"/>).</summary>
    public async Task<int> ReleaseDeferredAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var deferred = await db.Runs.Where(r => r.Status == Automation.RunStatus.Pending && r.NotBefore != null)
            .OrderBy(r => r.Id).Take(MaxDeferredReviewed).ToListAsync(ct);
        var now = time.GetUtcNow();
        var released = 0;
        foreach (var run in deferred.Where(r => r.NotBefore > now))
        {
            var hits = await HoldingAsync(run.DeviceIds, now, ct);
            var start = hits.Count == 0 ? now : hits.Max(h => h.Until);
            if (start >= run.NotBefore || !await dispatcher.RescheduleAsync(run.Id, start, ct))
            {
                continue;
            }
            run.NotBefore = start;
            run.FreezeNote = $"{run.FreezeNote} Released early: the freeze changed; starts {Utc(start)}.".Trim();
            released++;
        }
        await db.SaveChangesAsync(ct);
        return released;
    }

    /// <summary>The freezes in force at <paramref name="at"/> that hold any of <paramref name="deviceIds"/>, each
    /// with the devices it holds (ordered by id).</summary>
    public async Task<List<FreezeHit>> HoldingAsync(IReadOnlyCollection<int> deviceIds, DateTimeOffset at, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(deviceIds);
        if (deviceIds.Count == 0)
        {
            return [];
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var hits = new List<FreezeHit>();
        foreach (var freeze in await db.ChangeFreezes.AsNoTracking().Where(f => f.Enabled).OrderBy(f => f.Name).ToListAsync(ct))
        {
            if (FreezeCalendar.InForce(freeze, at) is not { } period)
            {
                continue;
            }
            var held = freeze.PoolIds.Count == 0 ? deviceIds.Order().ToList()
                : await db.Devices.Where(d => deviceIds.Contains(d.Id) && d.Pools.Any(p => freeze.PoolIds.Contains(p.Id))).Select(d => d.Id).OrderBy(id => id).ToListAsync(ct);
            if (held.Count > 0)
            {
                hits.Add(new FreezeHit(freeze.Id, freeze.Name, freeze.Reason, freeze.Action, period.End, held));
            }
        }
        return hits;
    }

    /// <summary>Every enabled freeze's periods overlapping [from, to): the schedules calendar shows them.</summary>
    public async Task<List<(ChangeFreeze Freeze, FreezePeriod Period)>> PeriodsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var freezes = await db.ChangeFreezes.AsNoTracking().Where(f => f.Enabled).OrderBy(f => f.Name).ToListAsync(ct);
        return freezes.SelectMany(f => FreezeCalendar.Periods(f, from, to).Select(p => (f, p))).ToList();
    }

    private static string Utc(DateTimeOffset at) => at == DateTimeOffset.MaxValue ? "further notice" : at.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Duration(int minutes) => minutes % 1440 == 0 ? $"{minutes / 1440} day(s)" : minutes % 60 == 0 ? $"{minutes / 60} hour(s)" : $"{minutes} minute(s)";
}
