using System.Globalization;
using System.Text.Json.Nodes;
using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Core.Inventory.Editing;
using eNMS.Core.Security;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace eNMS.Core.Scheduling;

/// <summary>A schedule as forms and the API read and write it; <see cref="Id"/> 0 creates.</summary>
public sealed class ScheduleInput
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public int ServiceId { get; set; }
    public ScheduleKind Kind { get; set; }
    public DateTime? StartAt { get; set; }
    public DateTime? EndAt { get; set; }
    public int Every { get; set; } = 1;
    public IntervalUnit Unit { get; set; } = IntervalUnit.Hours;
    public string Cron { get; set; } = "";
    public string TimeZone { get; set; } = "UTC";
    public List<int> DeviceIds { get; set; } = [];
    public List<int> PoolIds { get; set; } = [];
    public JsonObject? Variables { get; set; }
    /// <summary>Run-time inputs for the service (<see cref="Automation.RunInputs"/>); a secret sent back as the mask keeps its value.</summary>
    public JsonObject? Inputs { get; set; }
    /// <summary>A staged rollout for the runs it starts (null: none).</summary>
    public RolloutPlan? Rollout { get; set; }
    public MisfirePolicy Misfire { get; set; }
    public bool Paused { get; set; }
    /// <summary>Owner and read/edit lists (<see cref="ObjectAccess"/>): null keeps them (a new schedule is its creator's).</summary>
    public string? Owner { get; set; }
    public List<string>? ReadAccess { get; set; }
    public List<string>? EditAccess { get; set; }

    public static ScheduleInput From(Schedule s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new()
        {
            Id = s.Id,
            Name = s.Name,
            Description = s.Description,
            ServiceId = s.ServiceId,
            Kind = s.Kind,
            StartAt = s.StartAt,
            EndAt = s.EndAt,
            Every = s.Every,
            Unit = s.Unit,
            Cron = s.Cron,
            TimeZone = s.TimeZone,
            DeviceIds = [.. s.DeviceIds],
            PoolIds = [.. s.PoolIds],
            Variables = JsonNode.Parse(string.IsNullOrWhiteSpace(s.Variables) ? "{}" : s.Variables) as JsonObject,
            Inputs = Automation.RunInputs.Masked(s.Inputs),
            Rollout = s.Rollout,
            Misfire = s.Misfire,
            Paused = s.Paused,
            Owner = s.Owner,
            ReadAccess = [.. s.ReadAccess],
            EditAccess = [.. s.EditAccess],
        };
    }
}

/// <summary>A schedule with what the list and calendar show: its state, its timing in words and its next fire times.</summary>
public sealed record ScheduleView(Schedule Schedule, string State, string Description, IReadOnlyList<DateTimeOffset> NextFires)
{
    public static ScheduleView Of(Schedule schedule, DateTimeOffset now, int fires = 5)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var state = schedule.DisabledReason.Length > 0 ? "disabled" : schedule.Paused ? "paused" : "active";
        IReadOnlyList<DateTimeOffset> next = schedule.Active && ScheduleTiming.Problems(schedule, now).Count == 0 ? ScheduleTiming.NextFires(schedule, now, fires) : [];
        if (schedule.Active && next.Count == 0)
        {
            state = "finished";
        }
        return new ScheduleView(schedule, state, ScheduleTiming.Describe(schedule), next);
    }
}

/// <summary>Creates, updates, pauses, resumes and deletes schedules with one set of rules for the UI and the API, and
/// keeps Quartz's trigger in step with the row: nothing invalid is saved, and Quartz never holds a trigger for a
/// schedule that may not fire.</summary>
public sealed class ScheduleEditor(IDbContextFactory<EnmsDbContext> dbFactory, ISchedulerFactory schedulers, AuditLog audit, TimeProvider time,
    Automation.RunInputs runInputs)
{
    /// <exception cref="AccessDeniedException">The schedule's edit list leaves the current user out, or they may not change its lists.</exception>
    public async Task<EditResult> SaveAsync(ScheduleInput input, string user, IReadOnlyList<int>? scopePoolIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var errors = new Dictionary<string, string>();
        var name = input.Name.Trim();
        if (Inventory.InventoryNames.Problem(name) is { } nameProblem)
        {
            errors["name"] = nameProblem;
        }
        else if (await db.Schedules.AnyAsync(s => s.Name == name && s.Id != input.Id, ct))
        {
            errors["name"] = "This name is already taken.";
        }
        var service = await db.Services.AsNoTracking().Catalogue().Where(s => s.Id == input.ServiceId).Select(s => new { s.Id, s.Name, s.Inputs }).FirstOrDefaultAsync(ct);
        if (service is null)
        {
            errors["serviceId"] = input.ServiceId == 0 ? "Pick the service or workflow to run." : $"Service #{input.ServiceId} does not exist.";
        }
        // Scheduling a run is running it later: the service's run list applies now, and again at each fire (RunServiceJob).
        else if (ObjectAccess.Refusal(AuditActor.Current, await db.Services.AsNoTracking().FirstAsync(s => s.Id == service.Id, ct), $"Service '{service.Name}'",
            AccessRight.Run) is { } refusal)
        {
            errors["serviceId"] = refusal;
        }
        var unknownDevices = input.DeviceIds.Except(await db.Devices.Where(d => input.DeviceIds.Contains(d.Id)).Select(d => d.Id).ToListAsync(ct)).ToList();
        if (unknownDevices.Count > 0)
        {
            errors["deviceIds"] = $"Unknown device id(s): {string.Join(", ", unknownDevices)}.";
        }
        var unknownPools = input.PoolIds.Except(await db.Pools.Where(p => input.PoolIds.Contains(p.Id)).Select(p => p.Id).ToListAsync(ct)).ToList();
        if (unknownPools.Count > 0)
        {
            errors["poolIds"] = $"Unknown pool id(s): {string.Join(", ", unknownPools)}.";
        }
        if (input.Rollout?.Problems() is { Count: > 0 } rolloutProblems)
        {
            errors["rollout"] = string.Join(" ", rolloutProblems);
        }
        if (scopePoolIds is not null && (input.DeviceIds.Count > 0 || input.PoolIds.Count > 0))
        {
            // Ids, not names: the names of devices outside the user's pools are not theirs to read.
            var outside = (await db.Devices.Where(d => input.DeviceIds.Contains(d.Id) && !d.Pools.Any(p => scopePoolIds.Contains(p.Id)))
                .OrderBy(d => d.Id).Select(d => d.Id).Take(10).ToListAsync(ct)).Select(id => $"device #{id}").ToList();
            if (outside.Count > 0 || input.PoolIds.Except(scopePoolIds).Any())
            {
                errors["deviceIds"] = $"Targets outside the pools you may use: {string.Join(", ", outside.Concat(input.PoolIds.Except(scopePoolIds).Select(p => $"pool #{p}")))}.";
            }
        }

        Schedule? schedule;
        if (input.Id == 0)
        {
            schedule = new Schedule { Name = name, CreatedBy = user, CreatedAt = time.GetUtcNow() };
        }
        // A schedule whose targets are outside the user's pools, or whose read list leaves them out, is not theirs to see,
        // let alone change.
        else if (!await SeesAsync(input.Id, scopePoolIds, ct)
            || (schedule = (await db.Schedules.Where(s => s.Id == input.Id).ToListAsync(ct)).Readable(AuditActor.Current).FirstOrDefault()) is null)
        {
            return EditResult.NotFound($"Schedule #{input.Id}");
        }
        var lists = await ObjectAccess.ChangeAsync(db, input.Id == 0 ? null : AccessLists.Of(schedule), $"Schedule '{schedule.Name}'",
            new(input.Owner, input.ReadAccess, input.EditAccess), errors, ct);
        (schedule.Owner, schedule.ReadAccess, schedule.EditAccess) = (lists.Owner, lists.ReadAccess, lists.EditAccess);
        var now = time.GetUtcNow();
        if (service is not null)
        {
            foreach (var (field, problem) in await InputsAsync(db, input, schedule, service.Inputs, scopePoolIds, ct))
            {
                errors[field] = problem;
            }
        }
        Apply(input, schedule, service?.Name ?? "", now);
        var changesTiming = input.Id == 0 || db.Entry(schedule).Properties.Any(p => p.IsModified && p.Metadata.Name is not (nameof(Schedule.Name) or nameof(Schedule.Description)));
        foreach (var (field, problem) in ScheduleTiming.Problems(schedule, now))
        {
            // An untouched one-time schedule already past stays listed as finished; changing it must give a future date.
            if (changesTiming || field != "startAt")
            {
                errors.TryAdd(field, problem);
            }
        }
        if (errors.Count > 0)
        {
            return EditResult.Invalid(errors);
        }
        schedule.DisabledReason = "";
        if (input.Id == 0)
        {
            db.Schedules.Add(schedule);
        }
        await db.SaveChangesAsync(ct);
        await SyncAsync(schedule, ct);
        return EditResult.Ok(schedule.Id);
    }

    /// <summary>Checks the inputs against the service's declarations and stores them (secrets encrypted); a secret
    /// sent back as the mask keeps the stored value. Returns the problems, one per field.</summary>
    private async Task<Dictionary<string, string>> InputsAsync(EnmsDbContext db, ScheduleInput input, Schedule schedule,
        List<Automation.InputField> fields, IReadOnlyList<int>? scopePoolIds, CancellationToken ct)
    {
        var given = input.Inputs?.DeepClone().AsObject() ?? [];
        var kept = runInputs.Unprotect(schedule.Inputs).Values;
        foreach (var field in fields.Where(f => f.Type == Automation.RunInputType.Secret && given[f.Name]?.ToString() == Automation.ServiceSecrets.Mask))
        {
            given[field.Name] = kept[field.Name]?.DeepClone();
        }
        var (values, errors) = Automation.RunInputs.Validate(fields, given);
        if (errors.Count == 0)
        {
            errors = await Automation.RunInputs.PickProblemsAsync(db, fields, values, scopePoolIds, ct);
        }
        schedule.Inputs = runInputs.Protect(fields, values);
        return errors;
    }

    /// <summary>Pauses or resumes a schedule the user sees, audited as its own action ("schedule pause"/"schedule resume").</summary>
    /// <exception cref="AccessDeniedException">The schedule's edit list leaves the current user out.</exception>
    public async Task<EditResult> SetPausedAsync(int id, bool paused, IReadOnlyList<int>? scopePoolIds, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateScopedAsync(scopePoolIds, ct);
        if ((await db.Schedules.Where(s => s.Id == id).ToListAsync(ct)).Readable(AuditActor.Current).FirstOrDefault() is not { } schedule)
        {
            return EditResult.NotFound($"Schedule #{id}");
        }
        ObjectAccess.Demand(AuditActor.Current, schedule, $"Schedule '{schedule.Name}'", AccessRight.Edit);
        if (!paused)
        {
            if (!await db.Services.AnyAsync(s => s.Id == schedule.ServiceId, ct))
            {
                return EditResult.Invalid(new() { ["serviceId"] = $"Its service '{schedule.ServiceName}' was deleted: pick another service before resuming." });
            }
            schedule.DisabledReason = "";
        }
        schedule.Paused = paused;
        // Written without the save interceptor: pausing is audited once, as itself, below (not also as an "update").
        await db.Schedules.Where(s => s.Id == id)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Paused, schedule.Paused).SetProperty(s => s.DisabledReason, schedule.DisabledReason), ct);
        await SyncAsync(schedule, ct);
        await audit.WriteAsync(paused ? "schedule pause" : "schedule resume", "schedule", id.ToString(CultureInfo.InvariantCulture), schedule.Name, ct: ct);
        return EditResult.Ok(id);
    }

    /// <summary>Deletes the schedules among <paramref name="ids"/> that the user sees; returns how many.</summary>
    /// <exception cref="AccessDeniedException">The edit list of one of them leaves the current user out (none is deleted).</exception>
    public async Task<int> DeleteAsync(IReadOnlyCollection<int> ids, IReadOnlyList<int>? scopePoolIds, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateScopedAsync(scopePoolIds, ct);
        var seen = (await db.Schedules.AsNoTracking().Where(s => ids.Contains(s.Id)).ToListAsync(ct)).Readable(AuditActor.Current);
        foreach (var schedule in seen)
        {
            ObjectAccess.Demand(AuditActor.Current, schedule, $"Schedule '{schedule.Name}'", AccessRight.Edit);
        }
        ids = [.. seen.Select(s => s.Id)];
        var gone = (await db.Schedules.Where(s => ids.Contains(s.Id)).Select(s => new { s.Id, s.Name }).ToListAsync(ct)).Select(x => (x.Id, x.Name)).ToList();
        var count = await db.Schedules.Where(s => ids.Contains(s.Id)).ExecuteDeleteAsync(ct);
        await AuditDeletes.RecordAsync(db, "schedule", gone, ct);
        var scheduler = await schedulers.GetScheduler(ct);
        foreach (var (id, _) in gone)
        {
            await scheduler.DeleteJob(RunServiceJob.KeyFor(id), ct);
        }
        return count;
    }

    /// <summary>Whether the schedule exists for a user limited to these pools (the save itself reads unscoped, to tell an
    /// unknown target from one outside the pools).</summary>
    private async Task<bool> SeesAsync(int id, IReadOnlyList<int>? scopePoolIds, CancellationToken ct)
    {
        await using var scoped = await dbFactory.CreateScopedAsync(scopePoolIds, ct);
        return await scoped.Schedules.AnyAsync(s => s.Id == id, ct);
    }

    /// <summary>Puts Quartz in step with the row: the job and its trigger when the schedule may fire, nothing otherwise.</summary>
    public async Task SyncAsync(Schedule schedule, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var scheduler = await schedulers.GetScheduler(ct);
        var key = RunServiceJob.KeyFor(schedule.Id);
        var now = time.GetUtcNow();
        if (!schedule.Active || ScheduleTiming.Problems(schedule, now).Count > 0)
        {
            await scheduler.DeleteJob(key, ct);
            return;
        }
        var job = JobBuilder.Create<RunServiceJob>().WithIdentity(key).StoreDurably().RequestRecovery()
            .UsingJobData(RunServiceJob.ScheduleIdKey, schedule.Id.ToString(CultureInfo.InvariantCulture)).Build();
        await scheduler.ScheduleJob(job, [ScheduleTiming.Trigger(schedule, key, now)], new ScheduleJobOptions { Replace = true }, ct);
    }

    /// <summary>A schedule from an input, not saved: for previews.</summary>
    public static Schedule Draft(ScheduleInput input, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        var schedule = new Schedule { Name = input.Name };
        Apply(input, schedule, "", now);
        return schedule;
    }

    private static void Apply(ScheduleInput input, Schedule schedule, string serviceName, DateTimeOffset now)
    {
        (schedule.Name, schedule.Description, schedule.ServiceId, schedule.ServiceName) = (input.Name.Trim(), input.Description.Trim(), input.ServiceId, serviceName);
        (schedule.Kind, schedule.StartAt, schedule.EndAt) = (input.Kind, WallClock(input.StartAt), input.Kind == ScheduleKind.Once ? null : WallClock(input.EndAt));
        (schedule.Every, schedule.Unit, schedule.Cron, schedule.TimeZone) = (input.Every, input.Unit, input.Kind == ScheduleKind.Cron ? input.Cron.Trim() : "", input.TimeZone.Trim());
        (schedule.DeviceIds, schedule.PoolIds, schedule.Misfire, schedule.Paused) = ([.. input.DeviceIds.Distinct()], [.. input.PoolIds.Distinct()], input.Misfire, input.Paused);
        schedule.Variables = input.Variables?.ToJsonString() ?? "{}";
        schedule.Rollout = input.Rollout is { } rollout ? rollout with { FirstStage = 1, BaseTotal = 0 } : null;
        if (schedule.Kind == ScheduleKind.Interval && schedule.StartAt is null && ScheduleTiming.TryFindZone(schedule.TimeZone, out var zone))
        {
            // Anchor the interval's phase now, so that the list and the calendar show the fire times it will keep.
            schedule.StartAt = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        }
    }

    private static DateTime? WallClock(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Unspecified) : null;
}
