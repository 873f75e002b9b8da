using eNMS.Core.Automation;
using eNMS.Core.Configurations;
using eNMS.Core.Inventory;
using eNMS.Core.Security;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Data;

/// <summary>
/// The one DbContext. Each database provider has a subclass (<see cref="SqliteEnmsDbContext"/>,
/// <see cref="PostgresEnmsDbContext"/>) only so that each keeps its own set of migrations; code always asks for
/// <c>IDbContextFactory&lt;EnmsDbContext&gt;</c>. Accounts and roles are ASP.NET Core Identity's tables in the same database.
/// </summary>
public abstract class EnmsDbContext(DbContextOptions options) : IdentityDbContext<EnmsUser>(options)
{
    public DbSet<Device> Devices => Set<Device>();
    public DbSet<DeviceGateway> DeviceGateways => Set<DeviceGateway>();
    public DbSet<Link> Links => Set<Link>();
    public DbSet<Pool> Pools => Set<Pool>();
    public DbSet<Credential> Credentials => Set<Credential>();
    public DbSet<Service> Services => Set<Service>();
    public DbSet<Run> Runs => Set<Run>();
    public DbSet<RunResult> RunResults => Set<RunResult>();
    public DbSet<RunLogEntry> RunLogs => Set<RunLogEntry>();
    public DbSet<Automation.Approvals.ApprovalDecision> ApprovalDecisions => Set<Automation.Approvals.ApprovalDecision>();
    public DbSet<ConfigVersion> ConfigVersions => Set<ConfigVersion>();
    public DbSet<ChangeSnapshot> ChangeSnapshots => Set<ChangeSnapshot>();
    public DbSet<Automation.Execution.KnownHostKey> KnownHostKeys => Set<Automation.Execution.KnownHostKey>();
    public DbSet<Automation.Execution.SessionLease> SessionLeases => Set<Automation.Execution.SessionLease>();
    public DbSet<Automation.Execution.SharedCap> SharedCaps => Set<Automation.Execution.SharedCap>();
    public DbSet<Ansible.Playbook> Playbooks => Set<Ansible.Playbook>();
    public DbSet<Ansible.PlaybookVersion> PlaybookVersions => Set<Ansible.PlaybookVersion>();
    public DbSet<ComplianceRule> ComplianceRules => Set<ComplianceRule>();
    public DbSet<Parsing.ParsingTemplate> ParsingTemplates => Set<Parsing.ParsingTemplate>();
    public DbSet<TerminalSession> TerminalSessions => Set<TerminalSession>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<UserGroup> UserGroups => Set<UserGroup>();
    public DbSet<RevokedSession> RevokedSessions => Set<RevokedSession>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Scheduling.Schedule> Schedules => Set<Scheduling.Schedule>();
    public DbSet<Scheduling.ChangeFreeze> ChangeFreezes => Set<Scheduling.ChangeFreeze>();
    public DbSet<Settings.StoredSetting> StoredSettings => Set<Settings.StoredSetting>();

    /// <summary>
    /// The pools this context is limited to (null: every row). Set once, by
    /// <see cref="ScopedContexts.CreateScopedAsync"/>; the global query filters below read it, so every query on a
    /// scoped context — a page, an endpoint, an export — sees only the user's devices, the links between them, their
    /// pools, their devices' configurations, and the runs, results, run logs and schedules that concern them, without
    /// the call site having to remember. Out-of-scope rows are simply absent: pages and endpoints answer 404, as for a
    /// missing one. The engine and background jobs use the factory's ordinary (unscoped) contexts.
    /// </summary>
    public IReadOnlyList<int>? ScopePoolIds { get; internal set; }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(EnmsDbContext).Assembly);
        // A device is in scope when one of its pools is; the pool filter makes d.Pools hold only in-scope pools.
        builder.Entity<Pool>().HasQueryFilter(p => ScopePoolIds == null || ScopePoolIds.Contains(p.Id));
        builder.Entity<Device>().HasQueryFilter(d => ScopePoolIds == null || d.Pools.Any(p => ScopePoolIds.Contains(p.Id)));
        // A link to any other device would name it: both ends must be in scope.
        builder.Entity<Link>().HasQueryFilter(l => ScopePoolIds == null
            || (l.Source!.Pools.Any(p => ScopePoolIds.Contains(p.Id)) && l.Destination!.Pools.Any(p => ScopePoolIds.Contains(p.Id))));
        builder.Entity<ConfigVersion>().HasQueryFilter(v => ScopePoolIds == null || Devices.Any(d => d.Id == v.DeviceId));
        builder.Entity<ChangeSnapshot>().HasQueryFilter(s => ScopePoolIds == null || Devices.Any(d => d.Id == s.DeviceId));
        // A run is listed when one of its targets is in scope, or when it has no device target.
        builder.Entity<Run>().HasQueryFilter(r => ScopePoolIds == null || r.DeviceIds.Count == 0 || r.DeviceIds.Any(id => Devices.Any(d => d.Id == id)));
        // A result with no device, and a run's log, name no device but may speak of all of them: they are shown only
        // when every target of the run is in scope ("whole" runs).
        builder.Entity<RunResult>().HasQueryFilter(x => ScopePoolIds == null || (x.DeviceId == null
            ? Set<Run>().Any(r => r.Id == x.RunId && r.DeviceIds.All(id => Devices.Any(d => d.Id == id)))
            : Devices.Any(d => d.Id == x.DeviceId)));
        builder.Entity<RunLogEntry>().HasQueryFilter(l => ScopePoolIds == null
            || Set<Run>().Any(r => r.Id == l.RunId && r.DeviceIds.All(id => Devices.Any(d => d.Id == id))));
        // A pending or taken decision names its device: only the user's devices' decisions are theirs to see or take.
        builder.Entity<Automation.Approvals.ApprovalDecision>().HasQueryFilter(a => ScopePoolIds == null || Devices.Any(d => d.Id == a.DeviceId));
        // A compliance rule of a pool is listed only when that pool is in scope (one of no pool applies by platform).
        builder.Entity<eNMS.Core.Configurations.ComplianceRule>().HasQueryFilter(r => ScopePoolIds == null || r.PoolId == null || ScopePoolIds.Contains(r.PoolId.Value));
        // A schedule is listed when all its explicit targets (devices and pools) are in scope.
        builder.Entity<Scheduling.Schedule>().HasQueryFilter(s => ScopePoolIds == null
            || (s.DeviceIds.All(id => Devices.Any(d => d.Id == id)) && s.PoolIds.All(id => ScopePoolIds.Contains(id))));
    }
}

public sealed class SqliteEnmsDbContext(DbContextOptions<SqliteEnmsDbContext> options) : EnmsDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        StoredTime.MapSqlite(builder);
    }
}

public sealed class PostgresEnmsDbContext(DbContextOptions<PostgresEnmsDbContext> options) : EnmsDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        StoredTime.MapPostgres(builder);
    }
}
