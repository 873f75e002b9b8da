using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace eNMS.Core.Data;

/// <summary>
/// Appends many new rows of one entity type without the change tracker. EF Core sends one
/// <c>INSERT … RETURNING</c> per row (its SQLite provider does not batch), 0.3–1.5 ms each on a busy 2-core machine:
/// the 21,000 results of a 20-node workflow on 1,000 devices took ~20 s to persist after 0.5 s of execution
/// (bench/RESULTS.md). Here SQLite gets one prepared INSERT reused for every row, PostgreSQL a binary COPY.
/// Columns and conversions come from the EF model, so a property added later is written too; store-generated keys
/// are left to the database and not read back. Runs in the context's current transaction when there is one.
/// </summary>
public static class BulkInsert
{
    public static async Task AppendAsync<T>(EnmsDbContext db, IReadOnlyCollection<T> rows, CancellationToken ct) where T : class
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity of the model.");
        if (entity.GetNavigations().Any(n => n.TargetEntityType.IsOwned()))
        {
            throw new NotSupportedException($"{typeof(T).Name} owns other types: save it through the change tracker.");
        }
        var table = entity.GetTableName()!;
        var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
        var columns = entity.GetProperties()
            .Where(p => !(p.IsPrimaryKey() && p.ValueGenerated != ValueGenerated.Never))
            .Select(p => new Column(p, p.GetColumnName(store)!, (RelationalTypeMapping)p.GetRelationalTypeMapping()))
            .ToList();
        var sql = db.GetService<ISqlGenerationHelper>();
        var target = sql.DelimitIdentifier(table, entity.GetSchema());
        var names = string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Name)));

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = db.Database.GetDbConnection();
            if (connection is NpgsqlConnection npgsql)
            {
                await CopyAsync(npgsql, $"COPY {target} ({names}) FROM STDIN (FORMAT BINARY)", columns, rows, ct);
            }
            else
            {
                await InsertAsync(connection, db.Database.CurrentTransaction?.GetDbTransaction(), target, names, columns, rows, ct);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private sealed record Column(IProperty Property, string Name, RelationalTypeMapping Mapping)
    {
        /// <summary>The value as the provider stores it (value converters applied), or null.</summary>
        public object? Value(object row)
        {
            var value = Property.GetGetter().GetClrValue(row);
            return value is null ? null : Mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value;
        }
    }

    private static async Task InsertAsync<T>(DbConnection connection, DbTransaction? transaction, string target, string names,
        List<Column> columns, IReadOnlyCollection<T> rows, CancellationToken ct) where T : class
    {
        var owned = transaction is null ? await connection.BeginTransactionAsync(ct) : null;
        await using (owned)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction ?? owned;
#pragma warning disable CA2100 // identifiers from the EF model, delimited by the provider; values are parameters
            command.CommandText = $"INSERT INTO {target} ({names}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})";
#pragma warning restore CA2100
            var parameters = columns.Select((c, i) =>
            {
                // The mapping makes the parameter as EF would (DbType, size); only its value changes per row.
                var parameter = c.Mapping.CreateParameter(command, $"@p{i}", null, c.Property.IsNullable);
                command.Parameters.Add(parameter);
                return parameter;
            }).ToArray();
            await command.PrepareAsync(ct);
            foreach (var row in rows)
            {
                for (var i = 0; i < columns.Count; i++)
                {
                    parameters[i].Value = columns[i].Value(row) ?? DBNull.Value;
                }
                await command.ExecuteNonQueryAsync(ct);
            }
            if (owned is not null)
            {
                await owned.CommitAsync(ct);
            }
        }
    }

    private static async Task CopyAsync<T>(NpgsqlConnection connection, string copy, List<Column> columns, IReadOnlyCollection<T> rows,
        CancellationToken ct) where T : class
    {
        await using var importer = await connection.BeginBinaryImportAsync(copy, ct);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            foreach (var column in columns)
            {
                if (column.Value(row) is { } value)
                {
                    await importer.WriteAsync(value, column.Mapping.StoreType, ct);
                }
                else
                {
                    await importer.WriteNullAsync(ct);
                }
            }
        }
        await importer.CompleteAsync(ct);
    }
}
