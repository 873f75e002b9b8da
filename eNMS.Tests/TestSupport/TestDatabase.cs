using eNMS.Core.Data;
using eNMS.Core.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace eNMS.Tests.TestSupport;

/// <summary>An in-memory SQLite database with the real migrations applied; the connection is held open so the
/// database lives as long as this object.</summary>
public sealed class TestDatabase : IDbContextFactory<EnmsDbContext>, IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly DbContextOptions<SqliteEnmsDbContext> _options;

    /// <param name="interceptors">E.g. the <see cref="AuditInterceptor"/>, for tests of what the audit log records.</param>
    public TestDatabase(params IInterceptor[] interceptors)
    {
        _connection.Open();
        _options = new DbContextOptionsBuilder<SqliteEnmsDbContext>()
            .UseSqlite(_connection, s => s.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery)).AddInterceptors(interceptors).Options;
        using var db = CreateDbContext();
        db.Database.Migrate();
    }

    public static SecretProtector Secrets { get; } = new(new EphemeralDataProtectionProvider());

    public EnmsDbContext CreateDbContext() => new SqliteEnmsDbContext(_options);

    public void Dispose() => _connection.Dispose();
}
