namespace eNMS.Core.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Bound from the "Database" section (or Database__Provider / Database__ConnectionString).</summary>
public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Empty means a SQLite file <c>enms.db</c> in the data directory.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The connection string in use: the configured one, or the SQLite file in <paramref name="dataDirectory"/>.</summary>
    public string EffectiveConnectionString(string dataDirectory) =>
        ConnectionString is { Length: > 0 } || Provider == DatabaseProvider.Postgres ? ConnectionString : $"Data Source={Path.Combine(dataDirectory, "enms.db")}";
}

/// <summary>Bound from the "Enms" section.</summary>
public sealed class EnmsOptions
{
    /// <summary>Where the SQLite database and the Data Protection key ring live; relative to the content root.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Seed a demo network when the database is empty.</summary>
    public bool SeedDemo { get; set; } = true;
}

/// <summary>Where this instance keeps its files, resolved once at startup: the data directory (SQLite database, logs,
/// backups) and the Data Protection key ring.</summary>
public sealed record DataPaths(string DataDirectory, string KeyDirectory);
