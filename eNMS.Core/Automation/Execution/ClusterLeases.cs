using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SchedulingOptions = eNMS.Core.Scheduling.SchedulingOptions;

namespace eNMS.Core.Automation.Execution;

/// <summary>A place held in a cap shared by the nodes of a cluster: one row per place taken (scope, slot), held by one
/// process until it is released or its expiry passes (renewed while held, so a dead node's places come free).</summary>
public sealed class SessionLease
{
    /// <summary>What the cap limits: <c>run:12</c> (a run's devices), <c>run:12:platform:cisco_ios</c> (a run's sessions
    /// to a platform), <c>platform:cisco_ios</c> (a platform's sessions across runs).</summary>
    public string Scope { get; set; } = "";

    /// <summary>Which place (0 to the cap − 1).</summary>
    public int Slot { get; set; }

    /// <summary>The process holding it: node name and a per-process id (a restarted node does not renew its old places).</summary>
    public string Holder { get; set; } = "";

    public Guid Token { get; set; }

    /// <summary>The shared cap's generation (<see cref="SharedCap.Generation"/>) when the place was taken.</summary>
    public int Generation { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>A cap that a node lowered (a platform refusing or resetting connections) and that every node honours:
/// stored once lowered, raised back by one per cap's worth of successful connections up to its ceiling.</summary>
public sealed class SharedCap
{
    public string Scope { get; set; } = "";

    /// <summary>The run it belongs to (removed once the run is no longer Running); null for caps across runs.</summary>
    public int? RunId { get; set; }

    public int Cap { get; set; }

    /// <summary>Where it started (the configured limit or the run's parallelism): it is never raised past it.</summary>
    public int Ceiling { get; set; }

    public int Lowest { get; set; }

    /// <summary>Bumped on each lowering: a refusal of a place taken before it does not lower the cap again.</summary>
    public int Generation { get; set; }

    /// <summary>Successful connections since the last change (the additive increase counts them).</summary>
    public int Successes { get; set; }

    /// <summary>Why it was last lowered ("connection refused", "too many sessions"...).</summary>
    public string Reason { get; set; } = "";

    /// <summary>The node that last lowered it.</summary>
    public string LoweredBy { get; set; } = "";

    public DateTimeOffset ChangedAt { get; set; }
}

/// <summary>
/// Caps shared by every node of a cluster (<c>Scheduling:DistributeRuns</c> on PostgreSQL): a run's
/// <c>maxParallelDevices</c> (<see cref="DeviceTurns"/>), its adaptive session caps per platform (<see cref="AdaptiveLimits"/>)
/// and the platform limits across runs (<see cref="PlatformLimits"/>). A place is a row of <see cref="SessionLease"/>
/// taken in one statement (an insert of the lowest free slot below the cap, or the take-over of an expired one; the
/// primary key settles two nodes taking the same slot at once), never a transaction held while the session works. Its
/// expiry (<see cref="SchedulingOptions.LeaseSeconds"/>) is renewed while held; released places are deleted. A cap a
/// node lowers is a <see cref="SharedCap"/> row that bounds the slots every node may take.
/// </summary>
/// <remarks>Lowering a cap does not take places away: places at or above the new cap end with their sessions and are
/// not taken again, so the sessions open converge to the cap. Clocks of the nodes must agree (NTP), as Quartz's
/// clustering already needs.</remarks>
public sealed class ClusterLeases(IDbContextFactory<EnmsDbContext> dbFactory, IOptions<SchedulingOptions> options, TimeProvider time,
    ILogger<ClusterLeases> logger) : BackgroundService
{
    /// <summary>The most places one cap may have (a larger configured cap is this one).</summary>
    public const int MaxCap = 10_000;

    /// <summary>The longest wait between two attempts at a place (the first ones are sooner).</summary>
    public static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(500);

    // Places held by this process and not yet released (released on stop, whatever happened).
    private readonly ConcurrentDictionary<Guid, ClusterLease> _held = new();
    private readonly ConcurrentDictionary<Task, byte> _releasing = new();

    /// <summary>This process among the holders.</summary>
    public string Holder { get; } = $"{options.Value.Node[..Math.Min(160, options.Value.Node.Length)]}/{Guid.NewGuid():N}";

    public TimeSpan Ttl => TimeSpan.FromSeconds(Math.Clamp(options.Value.LeaseSeconds, 2, 3600));

    /// <summary>Places this process holds now.</summary>
    public int Held => _held.Count;

    public static string RunScope(int runId) => $"run:{runId.ToString(CultureInfo.InvariantCulture)}";

    public static string RunPlatformScope(int runId, string platform) => $"{RunScope(runId)}:platform:{platform.ToLowerInvariant()}";

    public static string PlatformScope(string platform) => $"platform:{platform.ToLowerInvariant()}";

    /// <summary>A cap of <paramref name="start"/> places on <paramref name="scope"/> (lowered by a <see cref="SharedCap"/>).</summary>
    public ClusterCap Cap(string scope, int start, int? runId = null) => new(this, scope, Math.Clamp(start, 1, MaxCap), runId);

    /// <summary>Takes a place, waiting (polling, up to <see cref="MaxPoll"/> apart) until one is free.</summary>
    public async Task<ClusterLease> TakeAsync(string scope, int start, CancellationToken ct)
    {
        var wait = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            if (await TryTakeAsync(scope, start, ct) is { } lease)
            {
                return lease;
            }
            // A little jitter: the nodes waiting for the same cap do not ask all at once.
            await Task.Delay(wait + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 20)), time, ct);
            wait = TimeSpan.FromTicks(Math.Min(MaxPoll.Ticks, wait.Ticks * 2));
        }
    }

    /// <summary>Takes a free place now, or null when the cap's places are all held.</summary>
    public async Task<ClusterLease?> TryTakeAsync(string scope, int start, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(scope);
        // Two nodes may pick the same free slot: the second one's insert finds the first one's row and takes nothing;
        // it tries again at once (another slot may be free), a few times.
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var token = Guid.NewGuid();
            var now = time.GetUtcNow();
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var command = await CommandAsync(db, """
                INSERT INTO "SessionLeases" ("Scope", "Slot", "Holder", "Token", "Generation", "ExpiresAt")
                SELECT @scope, s.n, @holder, @token, c.generation, @expires
                FROM (SELECT COALESCE((SELECT "Cap" FROM "SharedCaps" WHERE "Scope" = @scope), @start) AS cap,
                             COALESCE((SELECT "Generation" FROM "SharedCaps" WHERE "Scope" = @scope), 0) AS generation) AS c,
                     generate_series(0, LEAST(c.cap, @max) - 1) AS s(n)
                WHERE NOT EXISTS (SELECT 1 FROM "SessionLeases" l WHERE l."Scope" = @scope AND l."Slot" = s.n AND l."ExpiresAt" > @now)
                ORDER BY s.n
                LIMIT 1
                ON CONFLICT ("Scope", "Slot") DO UPDATE
                    SET "Holder" = EXCLUDED."Holder", "Token" = EXCLUDED."Token", "Generation" = EXCLUDED."Generation", "ExpiresAt" = EXCLUDED."ExpiresAt"
                    WHERE "SessionLeases"."ExpiresAt" <= @now
                RETURNING "Slot", "Generation"
                """, ct, ("scope", scope), ("holder", Holder), ("token", token), ("expires", now + Ttl), ("now", now), ("start", Math.Clamp(start, 1, MaxCap)), ("max", MaxCap));
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                var lease = new ClusterLease(this, scope, reader.GetInt32(0), reader.GetInt32(1), token);
                _held[token] = lease;
                return lease;
            }
            await reader.CloseAsync();
            if (!await AnyFreeAsync(db, scope, start, now, ct))
            {
                return null;
            }
        }
        return null;
    }

    /// <summary>Whether a slot below the cap looks free (the take that just failed lost a race for it).</summary>
    private static async Task<bool> AnyFreeAsync(EnmsDbContext db, string scope, int start, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = await CommandAsync(db, """
            SELECT COUNT(*) < LEAST(COALESCE((SELECT "Cap" FROM "SharedCaps" WHERE "Scope" = @scope), @start), @max)
            FROM "SessionLeases" WHERE "Scope" = @scope AND "ExpiresAt" > @now
              AND "Slot" < COALESCE((SELECT "Cap" FROM "SharedCaps" WHERE "Scope" = @scope), @start)
            """, ct, ("scope", scope), ("start", Math.Clamp(start, 1, MaxCap)), ("max", MaxCap), ("now", now));
        return await command.ExecuteScalarAsync(ct) is true;
    }

    /// <summary>Gives a place back (deletes its row, if it is still this holder's), in the background: a caller that
    /// disposes a session does not wait for the database (the task returned is for tests; stopping waits for them).</summary>
    internal Task Release(ClusterLease lease)
    {
        if (!_held.TryRemove(lease.Token, out _))
        {
            return Task.CompletedTask;
        }
        var releasing = ReleaseAsync(lease);
        _releasing[releasing] = 0;
        _ = releasing.ContinueWith(t => _releasing.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return releasing;
    }

    private async Task ReleaseAsync(ClusterLease lease)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await db.SessionLeases.Where(l => l.Scope == lease.Scope && l.Slot == lease.Slot && l.Token == lease.Token).ExecuteDeleteAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            // Its expiry frees it all the same (it is no longer renewed).
            logger.LogWarning(e, "Cluster place {Scope}#{Slot} could not be released; it expires within {Ttl}", lease.Scope, lease.Slot, Ttl);
        }
    }

    /// <summary>Lowers a shared cap by half (floor 1) after a refusal of a place taken in generation
    /// <paramref name="seen"/>: refusals of places taken before the last lowering do not lower it again (nine resets at
    /// once, on whichever nodes, halve it once). A database that fails here is logged: the connection's own outcome stands.</summary>
    public async Task LowerAsync(string scope, int start, int seen, string reason, int? runId, CancellationToken ct)
    {
        var ceiling = Math.Clamp(start, 1, MaxCap);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var command = await CommandAsync(db, """
                INSERT INTO "SharedCaps" ("Scope", "RunId", "Cap", "Ceiling", "Lowest", "Generation", "Successes", "Reason", "LoweredBy", "ChangedAt")
                VALUES (@scope, @run, GREATEST(1, @ceiling / 2), @ceiling, GREATEST(1, @ceiling / 2), 1, 0, @reason, @node, @now)
                ON CONFLICT ("Scope") DO UPDATE
                    SET "Cap" = GREATEST(1, "SharedCaps"."Cap" / 2), "Lowest" = LEAST("SharedCaps"."Lowest", GREATEST(1, "SharedCaps"."Cap" / 2)),
                        "Generation" = "SharedCaps"."Generation" + 1, "Successes" = 0, "Reason" = @reason, "LoweredBy" = @node, "ChangedAt" = @now
                    WHERE "SharedCaps"."Generation" = @seen
                """, ct, ("scope", scope), ("run", runId), ("ceiling", ceiling), ("reason", reason[..Math.Min(200, reason.Length)]),
                ("node", options.Value.Node), ("now", time.GetUtcNow()), ("seen", seen));
            await command.ExecuteNonQueryAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Cluster cap {Scope} could not be lowered ({Reason})", scope, reason);
        }
    }

    /// <summary>A connection went through within a lowered cap: after a cap's worth of them it is raised by one (up to
    /// its ceiling).</summary>
    public async Task SucceededAsync(string scope, CancellationToken ct)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var command = await CommandAsync(db, """
                UPDATE "SharedCaps"
                SET "Successes" = CASE WHEN "Successes" + 1 >= "Cap" THEN 0 ELSE "Successes" + 1 END,
                    "Cap" = CASE WHEN "Successes" + 1 >= "Cap" THEN "Cap" + 1 ELSE "Cap" END,
                    "ChangedAt" = @now
                WHERE "Scope" = @scope AND "Cap" < "Ceiling"
                """, ct, ("scope", scope), ("now", time.GetUtcNow()));
            await command.ExecuteNonQueryAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Cluster cap {Scope} could not count a success", scope);
        }
    }

    /// <summary>The shared cap of a scope, or null when no node lowered it.</summary>
    public async Task<SharedCap?> SharedAsync(string scope, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.SharedCaps.AsNoTracking().SingleOrDefaultAsync(c => c.Scope == scope, ct);
    }

    /// <summary>Moves the expiry of every place this process holds one <see cref="Ttl"/> ahead.</summary>
    public async Task RenewAsync(CancellationToken ct)
    {
        if (_held.IsEmpty)
        {
            return;
        }
        var expires = time.GetUtcNow() + Ttl;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.SessionLeases.Where(l => l.Holder == Holder).ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, expires), ct);
    }

    /// <summary>Deletes places expired a while ago (a dead node's) and the shared caps of runs no longer running.</summary>
    public async Task SweepAsync(CancellationToken ct)
    {
        var before = time.GetUtcNow() - Ttl;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.SessionLeases.Where(l => l.ExpiresAt < before).ExecuteDeleteAsync(ct);
        await db.SharedCaps.Where(c => c.RunId != null && !db.Runs.Any(r => r.Id == c.RunId && r.Status == RunStatus.Running)).ExecuteDeleteAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sweep = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Three renewals per expiry: one that fails (a busy database) leaves two more before a place is lost.
                await Task.Delay(Ttl / 3, time, stoppingToken);
                await RenewAsync(stoppingToken);
                if (time.GetUtcNow() - sweep > TimeSpan.FromMinutes(1))
                {
                    sweep = time.GetUtcNow();
                    await SweepAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Cluster places held by {Holder} could not be renewed", Holder);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await Task.WhenAll(_releasing.Keys);
        try
        {
            // Whatever is still held (runs stopped with the app) is freed now rather than at its expiry.
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.SessionLeases.Where(l => l.Holder == Holder).ExecuteDeleteAsync(cancellationToken);
            _held.Clear();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Cluster places held by {Holder} could not be released; they expire within {Ttl}", Holder, Ttl);
        }
    }

    private static async Task<DbCommand> CommandAsync(EnmsDbContext db, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync(ct);
        }
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }
}

/// <summary>A place taken in a cluster-wide cap; disposing it gives it back.</summary>
public sealed class ClusterLease(ClusterLeases leases, string scope, int slot, int generation, Guid token) : IDisposable
{
    public string Scope { get; } = scope;

    public int Slot { get; } = slot;

    /// <summary>The shared cap's generation when it was taken (0: the cap was never lowered).</summary>
    public int Generation { get; } = generation;

    public Guid Token { get; } = token;

    public void Dispose() => _ = leases.Release(this);
}

/// <summary>One cluster-wide cap: a scope and where it starts.</summary>
public sealed class ClusterCap(ClusterLeases leases, string scope, int start, int? runId)
{
    public string Scope { get; } = scope;

    public int Start { get; } = start;

    public Task<ClusterLease> TakeAsync(CancellationToken ct) => leases.TakeAsync(Scope, Start, ct);

    /// <summary>A connection within <paramref name="lease"/> was refused: every node's cap is halved (once per generation).</summary>
    public Task LowerAsync(ClusterLease lease, string reason)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return leases.LowerAsync(Scope, Start, lease.Generation, reason, runId, CancellationToken.None);
    }

    /// <summary>A connection within <paramref name="lease"/> went through: counted only while the cap is lowered.</summary>
    public Task SucceededAsync(ClusterLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return lease.Generation == 0 ? Task.CompletedTask : leases.SucceededAsync(Scope, CancellationToken.None);
    }
}
