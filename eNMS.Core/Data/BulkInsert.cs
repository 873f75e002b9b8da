using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace eNMS.Core.Data;

/// <summary>
/// Writes many new rows of one entity type without the change tracker. EF Core sends one
/// <c>INSERT … RETURNING</c> per row (its SQLite provider does not batch), 0.3–1.5 ms each on a busy 2-core machine:
/// the 21,000 results of a 20-node workflow on 1,000 devices took ~20 s to persist after 0.5 s of execution
/// (bench/RESULTS.md). Here SQLite gets one prepared INSERT reused for every row, PostgreSQL a binary COPY.
/// Columns and conversions come from the EF model, so a property added later is written too; owned collections
/// mapped to a JSON column (custom properties) are written as EF writes them. Runs in the context's current
/// transaction when there is one.
/// </summary>
public static class BulkInsert
{
    /// <summary>Appends rows whose store-generated keys nobody needs back (run results, logs).</summary>
    public static Task AppendAsync<T>(EnmsDbContext db, IReadOnlyCollection<T> rows, CancellationToken ct) where T : class =>
        WriteAsync(db, rows, readKeys: false, ct);

    /// <summary>Inserts rows and sets each row's store-generated integer key, so later rows can point at them
    /// (an import's links at its new devices). The rows stay untracked: attach the ones a tracked entity refers to.</summary>
    public static Task InsertAsync<T>(EnmsDbContext db, IReadOnlyCollection<T> rows, CancellationToken ct) where T : class =>
        WriteAsync(db, rows, readKeys: true, ct);

    private static async Task WriteAsync<T>(EnmsDbContext db, IReadOnlyCollection<T> rows, bool readKeys, CancellationToken ct) where T : class
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity of the model.");
        var owned = entity.GetNavigations().Where(n => n.TargetEntityType.IsOwned()).ToList();
        if (owned.Any(n => !n.TargetEntityType.IsMappedToJson()))
        {
            throw new NotSupportedException($"{typeof(T).Name} owns types stored in their own tables: save it through the change tracker.");
        }
        var table = entity.GetTableName()!;
        var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
        var generatedKey = entity.FindPrimaryKey()!.Properties is [{ ValueGenerated: not ValueGenerated.Never } key] ? key : null;
        if (readKeys && (generatedKey is null || generatedKey.ClrType != typeof(int)))
        {
            throw new NotSupportedException($"{typeof(T).Name} has no store-generated integer key to read back.");
        }
        var columns = entity.GetProperties()
            .Where(p => p != generatedKey)
            .Select(p => Column.For(p, p.GetColumnName(store)!))
            .Concat(owned.Select(Column.ForJson))
            .ToList();
        var sql = db.GetService<ISqlGenerationHelper>();
        var target = sql.DelimitIdentifier(table, entity.GetSchema());

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = db.Database.GetDbConnection();
            if (connection is NpgsqlConnection npgsql)
            {
                if (readKeys)
                {
                    // COPY returns nothing: take the keys from the column's own sequence first, then write them.
                    var keyColumn = generatedKey!.GetColumnName(store)!;
                    await ReserveKeysAsync(npgsql, target, keyColumn, generatedKey!, rows, ct);
                    columns.Insert(0, Column.For(generatedKey!, keyColumn));
                }
                var names = string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Name)));
                await CopyAsync(npgsql, $"COPY {target} ({names}) FROM STDIN (FORMAT BINARY)", columns, rows, ct);
            }
            else
            {
                // Keys are given, not read back: a RETURNING reader per row cost half of a 10,000-device import's writes.
                var keyColumn = readKeys ? generatedKey!.GetColumnName(store)! : null;
                if (keyColumn is not null)
                {
                    columns.Insert(0, Column.For(generatedKey!, keyColumn));
                }
                var names = string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Name)));
                await InsertAsync(connection, db.Database.CurrentTransaction?.GetDbTransaction(), target, names,
                    keyColumn is null ? null : (table, sql.DelimitIdentifier(keyColumn), generatedKey!), columns, rows, ct);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>A column: how to read its provider value off a row, the mapping that makes its parameter, and the type
    /// its values are written as (non-nullable).</summary>
    private sealed record Column(string Name, Func<object, object?> Value, RelationalTypeMapping? Mapping, bool IsNullable, string StoreType,
        Type ProviderType)
    {
        public static Column For(IProperty property, string name)
        {
            var mapping = (RelationalTypeMapping)property.GetRelationalTypeMapping();
            var getter = property.GetGetter();
            var providerType = mapping.Converter?.ProviderClrType ?? mapping.ClrType;
            return new Column(name, row =>
            {
                var value = getter.GetClrValue(row);
                return value is null ? null : mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value;
            }, mapping, property.IsNullable, mapping.StoreType, Nullable.GetUnderlyingType(providerType) ?? providerType);
        }

        /// <summary>An owned collection stored as one JSON array, with the property names and values EF writes.</summary>
        public static Column ForJson(INavigation navigation)
        {
            var owned = navigation.TargetEntityType;
            var properties = owned.GetProperties().Where(p => !p.IsShadowProperty() && !p.IsKey())
                .Select(p => (Name: p.GetJsonPropertyName() ?? p.Name, Getter: p.GetGetter())).ToList();
            var getter = navigation.GetGetter();
            // One buffer and writer per column, reset per row: a bulk write reads its rows one at a time.
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            var json = new Utf8JsonWriter(buffer);
            return new Column(owned.GetContainerColumnName()!, row =>
            {
                if (getter.GetClrValue(row) is not System.Collections.IEnumerable items)
                {
                    return null;
                }
                buffer.ResetWrittenCount();
                json.Reset(buffer);
                json.WriteStartArray();
                foreach (var item in items)
                {
                    json.WriteStartObject();
                    foreach (var (name, property) in properties)
                    {
                        json.WritePropertyName(name);
                        WriteJsonValue(json, property.GetClrValue(item));
                    }
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.Flush();
                return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
            }, null, navigation.ForeignKey.IsRequired is false, owned.GetContainerColumnType() ?? "jsonb", typeof(string));
        }

        private static void WriteJsonValue(Utf8JsonWriter json, object? value)
        {
            switch (value)
            {
                case null: json.WriteNullValue(); break;
                case string s: json.WriteStringValue(s); break;
                case bool b: json.WriteBooleanValue(b); break;
                case Enum e: json.WriteNumberValue(Convert.ToInt64(e, System.Globalization.CultureInfo.InvariantCulture)); break;
                case int i: json.WriteNumberValue(i); break;
                case long l: json.WriteNumberValue(l); break;
                case double d: json.WriteNumberValue(d); break;
                case decimal m: json.WriteNumberValue(m); break;
                default: JsonSerializer.Serialize(json, value, value.GetType()); break;
            }
        }
    }

    private static async Task ReserveKeysAsync<T>(NpgsqlConnection connection, string table, string keyColumn, IProperty key,
        IReadOnlyCollection<T> rows, CancellationToken ct) where T : class
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT nextval(pg_get_serial_sequence(@table, @column)) FROM generate_series(1, @count)";
        command.Parameters.AddWithValue("table", table);
        command.Parameters.AddWithValue("column", keyColumn);
        command.Parameters.AddWithValue("count", rows.Count);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var setter = key.PropertyInfo!;
        foreach (var row in rows)
        {
            await reader.ReadAsync(ct);
            setter.SetValue(row, checked((int)reader.GetInt64(0)));
        }
    }

    /// <summary>
    /// Numbers the rows after the highest key the table has ever given (AUTOINCREMENT never reuses one, so
    /// sqlite_sequence counts too). Safe in the import's transaction: SQLite has one writer at a time, and should
    /// another connection write in between, the insert fails on its stale snapshot or on a duplicate key — it never
    /// links a row to the wrong id.
    /// </summary>
    private static async Task ReserveSqliteKeysAsync<T>(DbConnection connection, DbTransaction? transaction, string target, string table,
        string keyColumn, IProperty key, IReadOnlyCollection<T> rows, CancellationToken ct) where T : class
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // identifiers from the EF model, delimited by the provider; the table name is a parameter
        command.CommandText = $"SELECT MAX(COALESCE((SELECT MAX({keyColumn}) FROM {target}), 0), " +
            "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = @table), 0))";
#pragma warning restore CA2100
        var name = command.CreateParameter();
        (name.ParameterName, name.Value) = ("@table", table);
        command.Parameters.Add(name);
        var next = Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        var setter = key.PropertyInfo!;
        foreach (var row in rows)
        {
            setter.SetValue(row, checked((int)++next));
        }
    }

    private static async Task InsertAsync<T>(DbConnection connection, DbTransaction? transaction, string target, string names,
        (string Table, string Column, IProperty Property)? key, List<Column> columns, IReadOnlyCollection<T> rows, CancellationToken ct)
        where T : class
    {
        var owned = transaction is null ? await connection.BeginTransactionAsync(ct) : null;
        await using (owned)
        {
            if (key is { } k)
            {
                await ReserveSqliteKeysAsync(connection, transaction ?? owned, target, k.Table, k.Column, k.Property, rows, ct);
            }
            await using var command = connection.CreateCommand();
            command.Transaction = transaction ?? owned;
#pragma warning disable CA2100 // identifiers from the EF model, delimited by the provider; values are parameters
            command.CommandText = $"INSERT INTO {target} ({names}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})";
#pragma warning restore CA2100
            var parameters = columns.Select((c, i) =>
            {
                // The mapping makes the parameter as EF would (DbType, size); only its value changes per row.
                DbParameter parameter;
                if (c.Mapping is { } mapping)
                {
                    parameter = mapping.CreateParameter(command, $"@p{i}", null, c.IsNullable);
                }
                else
                {
                    parameter = command.CreateParameter();
                    parameter.ParameterName = $"@p{i}";
                }
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
        var writers = columns.Select(c => (Func<NpgsqlBinaryImporter, object, CancellationToken, Task>)TypedWriterMethod
            .MakeGenericMethod(c.ProviderType).Invoke(null, [c])!).ToArray();
        await using var importer = await connection.BeginBinaryImportAsync(copy, ct);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            foreach (var write in writers)
            {
                await write(importer, row, ct);
            }
        }
        await importer.CompleteAsync(ct);
    }

    private static readonly System.Reflection.MethodInfo TypedWriterMethod =
        typeof(BulkInsert).GetMethod(nameof(TypedWriter), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    /// <summary>Writes a column's values as their own type: written as <c>object</c>, Npgsql binds every value anew
    /// (a third of the CPU of persisting a 1,000-device run's results on PostgreSQL went there).</summary>
    private static Func<NpgsqlBinaryImporter, object, CancellationToken, Task> TypedWriter<TValue>(Column column) where TValue : notnull =>
        (importer, row, ct) => column.Value(row) is TValue value ? importer.WriteAsync(value, column.StoreType, ct) : importer.WriteNullAsync(ct);
}
