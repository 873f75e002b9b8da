using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace eNMS.Tests.TestSupport;

/// <summary>A statement EF sent, with its parameters, and what it changed (-1 for a query).</summary>
public sealed record RecordedCommand(string Sql, IReadOnlyList<DbParameter> Parameters, int RowsAffected)
{
    /// <summary>How the database plans it: SQLite's EXPLAIN QUERY PLAN details, or PostgreSQL's EXPLAIN lines.</summary>
    public async Task<string> PlanAsync(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var sqlite = connection is SqliteConnection;
        await using var command = connection.CreateCommand();
        command.CommandText = (sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + Sql;
        foreach (var parameter in Parameters)
        {
            command.Parameters.Add(parameter is ICloneable cloneable ? (DbParameter)cloneable.Clone() : Copy(command, parameter));
        }
        await using var reader = await command.ExecuteReaderAsync();
        var plan = new List<string>();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(sqlite ? 3 : 0));
        }
        return string.Join('\n', plan);
    }

    private static DbParameter Copy(DbCommand command, DbParameter parameter)
    {
        var copy = command.CreateParameter();
        (copy.ParameterName, copy.Value) = (parameter.ParameterName, parameter.Value);
        return copy;
    }

    public override string ToString() => Sql;
}

/// <summary>
/// Records the statements EF sends while <see cref="Recording"/> (what a page or endpoint asks the database), so that a
/// test can check each one's plan: the queries a page issues, not a copy of them written in the test.
/// </summary>
public sealed class QueryRecorder : DbCommandInterceptor
{
    private readonly ConcurrentQueue<RecordedCommand> _commands = new();

    public bool Recording { get; set; }

    /// <summary>What was recorded since the last call, in order.</summary>
    public List<RecordedCommand> Take()
    {
        var taken = new List<RecordedCommand>();
        while (_commands.TryDequeue(out var command))
        {
            taken.Add(command);
        }
        return taken;
    }

    private void Record(DbCommand command, int rows)
    {
        if (Recording)
        {
            var parameters = command.Parameters.Cast<DbParameter>()
                .Select(p => p is NpgsqlParameter npgsql ? npgsql.Clone() : (DbParameter)new SqliteParameter(p.ParameterName, p.Value ?? DBNull.Value))
                .ToList();
            _commands.Enqueue(new RecordedCommand(command.CommandText, parameters, rows));
        }
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Record(command, -1);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
        CancellationToken cancellationToken = default)
    {
        Record(command, -1);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Record(command, -1);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result,
        CancellationToken cancellationToken = default)
    {
        Record(command, -1);
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Record(command, result);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        Record(command, result);
        return ValueTask.FromResult(result);
    }
}
