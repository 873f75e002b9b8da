using eNMS.Core.Automation;
using eNMS.Core.Configurations;
using eNMS.Core.Inventory;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Data;

/// <summary>
/// The one DbContext. Each database provider has a subclass (<see cref="SqliteEnmsDbContext"/>,
/// <see cref="PostgresEnmsDbContext"/>) only so that each keeps its own set of migrations; code always asks for
/// <c>IDbContextFactory&lt;EnmsDbContext&gt;</c>.
/// </summary>
public abstract class EnmsDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Device> Devices => Set<Device>();
    public DbSet<Link> Links => Set<Link>();
    public DbSet<Pool> Pools => Set<Pool>();
    public DbSet<Credential> Credentials => Set<Credential>();
    public DbSet<Service> Services => Set<Service>();
    public DbSet<Run> Runs => Set<Run>();
    public DbSet<RunResult> RunResults => Set<RunResult>();
    public DbSet<RunLogEntry> RunLogs => Set<RunLogEntry>();
    public DbSet<ConfigVersion> ConfigVersions => Set<ConfigVersion>();
    public DbSet<Automation.Execution.KnownHostKey> KnownHostKeys => Set<Automation.Execution.KnownHostKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(EnmsDbContext).Assembly);
    }
}

public sealed class SqliteEnmsDbContext(DbContextOptions<SqliteEnmsDbContext> options) : EnmsDbContext(options);

public sealed class PostgresEnmsDbContext(DbContextOptions<PostgresEnmsDbContext> options) : EnmsDbContext(options);
