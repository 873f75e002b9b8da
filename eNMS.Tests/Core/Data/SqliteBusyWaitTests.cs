using System.Data.Common;
using eNMS.Core;
using eNMS.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Core.Data;

/// <summary>Every SQLite connection the app opens, EF's and Quartz's, lets SQLite wait for a lock rather than the
/// driver's 150 ms sleep-and-retry; and a write that meets another writer's lock completes once it is released.</summary>
public sealed class SqliteBusyWaitTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("enms-busy-").FullName;

    private string ConnectionString => $"Data Source={Path.Combine(_directory, "enms.db")}";

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Contexts_from_the_registered_factory_wait_for_a_locked_database()
    {
        await using var services = new ServiceCollection().AddSingleton(TimeProvider.System)
            .AddEnmsDatabase(new DatabaseOptions(), _directory).BuildServiceProvider();
        var factory = services.GetRequiredService<IDbContextFactory<EnmsDbContext>>();
        for (var i = 0; i < 2; i++) // the second time from the pool: the interceptor runs on every open
        {
            await using var db = await factory.CreateDbContextAsync();
            await db.Database.OpenConnectionAsync();
            Assert.Equal(SqliteBusyWait.TimeoutMs, await BusyTimeoutAsync(db.Database.GetDbConnection()));
        }
    }

    [Fact]
    public async Task Quartz_connections_wait_for_a_locked_database()
    {
        await using var connection = SqliteBusyWait.Factory.Instance.CreateConnection();
        connection.ConnectionString = ConnectionString;
        await connection.OpenAsync();
        Assert.IsAssignableFrom<SqliteConnection>(connection);
        Assert.Equal(SqliteBusyWait.TimeoutMs, await BusyTimeoutAsync(connection));
        Assert.Equal(0, await BusyTimeoutAsync(await OpenPlainAsync()));
    }

    [Fact]
    public async Task A_write_blocked_longer_than_the_command_timeout_completes_once_the_other_writer_commits()
    {
        await using (var setup = await OpenPlainAsync())
        {
            await ExecuteAsync(setup, "PRAGMA journal_mode=WAL; CREATE TABLE t (v INTEGER)");
        }
        await using var holder = await OpenPlainAsync();
        await ExecuteAsync(holder, "BEGIN IMMEDIATE; INSERT INTO t VALUES (1)");
        await using var waiting = SqliteBusyWait.Factory.Instance.CreateConnection();
        waiting.ConnectionString = ConnectionString + ";Default Timeout=1";
        await waiting.OpenAsync();

        // Held past the 1 s command timeout: the driver's own retry loop would have given up with SQLITE_BUSY by now.
        var write = Task.Run(() => ExecuteAsync(waiting, "INSERT INTO t VALUES (2)"));
        await Task.Delay(1500);
        Assert.False(write.IsCompleted, $"the blocked write ended early: {write.Exception?.InnerException?.Message ?? "it went through while the lock was held"}");
        await ExecuteAsync(holder, "COMMIT");
        await write;

        Assert.Equal(2L, await ScalarAsync(holder, "SELECT COUNT(*) FROM t"));
    }

    private async Task<DbConnection> OpenPlainAsync()
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<long> BusyTimeoutAsync(DbConnection connection) => await ScalarAsync(connection, "PRAGMA busy_timeout");

    private static async Task<long> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
