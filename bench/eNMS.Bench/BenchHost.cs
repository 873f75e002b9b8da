using eNMS.Core;
using eNMS.Core.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace eNMS.Bench;

/// <summary>eNMS.Core as eNMS.Web wires it (same AddEnmsCore, migrations, hosted run worker), on a fresh database,
/// without the web layer: for the parts that measure the engine, the import and the grid query in-process.</summary>
public static class BenchHost
{
    public const string AdminPassword = "bench-admin-password";

    public static async Task<IHost> StartAsync(Options options, CancellationToken ct)
    {
        var host = Build(options);
        await host.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);
        await host.StartAsync(ct);
        return host;
    }

    /// <summary>The services only (no migration, no hosted run worker): to reach a database a server already runs on.</summary>
    public static IHost Build(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var dataDirectory = Path.GetFullPath(options.Required("data"));
        Directory.CreateDirectory(dataDirectory);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = dataDirectory, Args = [] });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Enms:DataDirectory"] = dataDirectory,
            ["Enms:SeedDemo"] = "false",
            ["Database:Provider"] = options.Text("provider", "Sqlite"),
            ["Database:ConnectionString"] = options.Text("connection", ""),
            ["Security:AdminPassword"] = AdminPassword,
        });
        // As eNMS.Web's appsettings.json: no per-statement logging.
        builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.AddEnmsCore();
        return builder.Build();
    }
}
