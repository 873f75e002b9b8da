using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace eNMS.Tests.TestSupport;

/// <summary>The real app in-process, on its own data directory and database (SQLite file, or PostgreSQL when
/// a connection string is given). Seeds nothing unless asked.</summary>
public sealed class EnmsAppFactory(string? postgresConnectionString = null, bool seedDemo = false) : WebApplicationFactory<Program>
{
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("enms-test-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Enms:DataDirectory", DataDirectory);
        builder.UseSetting("Enms:SeedDemo", seedDemo ? "true" : "false");
        builder.UseSetting("Database:Provider", postgresConnectionString is null ? "Sqlite" : "Postgres");
        builder.UseSetting("Database:ConnectionString", postgresConnectionString ?? "");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
