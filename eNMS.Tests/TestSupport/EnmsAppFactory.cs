using eNMS.Core.Automation;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace eNMS.Tests.TestSupport;

/// <summary>The real app in-process, on its own data directory and database (SQLite file, or PostgreSQL when
/// a connection string is given). Seeds nothing unless asked.</summary>
public sealed class EnmsAppFactory(string? postgresConnectionString = null, bool seedDemo = false, string? dataDirectory = null)
    : WebApplicationFactory<Program>
{
    private readonly bool _ownsDirectory = dataDirectory is null;

    /// <summary>Pass another factory's directory to start the app again on the same database.</summary>
    public string DataDirectory { get; } = dataDirectory ?? Directory.CreateTempSubdirectory("enms-test-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Enms:DataDirectory", DataDirectory);
        builder.UseSetting("Enms:SeedDemo", seedDemo ? "true" : "false");
        builder.UseSetting("Database:Provider", postgresConnectionString is null ? "Sqlite" : "Postgres");
        builder.UseSetting("Database:ConnectionString", postgresConnectionString ?? "");
        builder.ConfigureTestServices(services => services.AddServiceHandler<TestStepHandler>());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_ownsDirectory)
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
