using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace eNMS.Core.Data;

/// <summary>
/// Makes SQLite wait for a locked database itself. Microsoft.Data.Sqlite sets no <c>busy_timeout</c>: a writer that
/// meets another one gets SQLITE_BUSY and the driver sleeps 150 ms before retrying. A run's launch and Quartz taking
/// its trigger are two such writers, so most runs waited ~160 ms between created and started (bench: FRR fan-out).
/// With <c>busy_timeout</c> SQLite retries in 1–100 ms steps and the wait is as long as the other transaction.
/// Every connection gets it: EF's through <see cref="Interceptor"/>, Quartz's through <see cref="Factory"/>.
/// </summary>
public static class SqliteBusyWait
{
    /// <summary>Longest wait for the lock before the driver's own retry loop (bounded by the command timeout) takes over.</summary>
    public const int TimeoutMs = 5000;

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {TimeoutMs}";
        command.ExecuteNonQuery();
    }

    /// <summary>For EF Core's SQLite connections (a pooled connection is opened again per context).</summary>
    public sealed class Interceptor : DbConnectionInterceptor
    {
        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

        // The pragma is answered in memory, without I/O: nothing to await.
        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Apply(connection);
            return Task.CompletedTask;
        }
    }

    /// <summary>Microsoft.Data.Sqlite's factory, whose connections set the timeout when they open (for Quartz's store).</summary>
    public sealed class Factory : DbProviderFactory
    {
        public static readonly Factory Instance = new();

        public override DbConnection CreateConnection() => new WaitingConnection();

        public override DbCommand CreateCommand() => SqliteFactory.Instance.CreateCommand();

        public override DbParameter CreateParameter() => SqliteFactory.Instance.CreateParameter();

        public override DbConnectionStringBuilder CreateConnectionStringBuilder() => SqliteFactory.Instance.CreateConnectionStringBuilder();
    }

    private sealed class WaitingConnection : SqliteConnection
    {
        public override void Open()
        {
            base.Open();
            Apply(this);
        }

        public override async Task OpenAsync(CancellationToken cancellationToken)
        {
            await base.OpenAsync(cancellationToken);
            Apply(this);
        }
    }
}
