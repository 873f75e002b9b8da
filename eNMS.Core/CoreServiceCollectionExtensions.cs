using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Core.Inventory.Editing;
using eNMS.Core.Inventory.Export;
using eNMS.Core.Inventory.Import;
using eNMS.Core.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace eNMS.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>Database (SQLite or PostgreSQL), secret protection and the inventory services.</summary>
    public static IHostApplicationBuilder AddEnmsCore(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var enms = builder.Configuration.GetSection("Enms").Get<EnmsOptions>() ?? new EnmsOptions();
        var database = builder.Configuration.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        var dataDirectory = Path.GetFullPath(enms.DataDirectory, builder.Environment.ContentRootPath);
        Directory.CreateDirectory(dataDirectory);

        services.AddOptions<EnmsOptions>().BindConfiguration("Enms");
        services.AddSingleton(TimeProvider.System);
        services.AddEnmsDatabase(database, dataDirectory);

        var keyDirectory = builder.Configuration["DataProtection:KeyDirectory"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(dataDirectory, "keys");
        services.AddDataProtection().SetApplicationName("eNMS").PersistKeysToFileSystem(new DirectoryInfo(keyDirectory));
        services.AddSingleton<SecretProtector>();

        services.AddSingleton<ImportCredentials>();
        services.AddSingleton<InventoryImporter>();
        services.AddSingleton<InventoryExporter>();
        services.AddSingleton<InventoryEditor>();
        services.AddSingleton<DatabaseInitializer>();
        services.AddAutomation();
        return builder;
    }

    public static IServiceCollection AddEnmsDatabase(this IServiceCollection services, DatabaseOptions database, string dataDirectory)
    {
        if (database.Provider == DatabaseProvider.Postgres)
        {
            services.AddDbContextFactory<PostgresEnmsDbContext>(o => o.UseNpgsql(database.ConnectionString, n => n.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery)));
            services.AddSingleton<IDbContextFactory<EnmsDbContext>, EnmsDbContextFactory<PostgresEnmsDbContext>>();
        }
        else
        {
            var connectionString = database.ConnectionString is { Length: > 0 } cs
                ? cs
                : $"Data Source={Path.Combine(dataDirectory, "enms.db")}";
            services.AddDbContextFactory<SqliteEnmsDbContext>(o => o.UseSqlite(connectionString, s => s.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery)));
            services.AddSingleton<IDbContextFactory<EnmsDbContext>, EnmsDbContextFactory<SqliteEnmsDbContext>>();
        }
        return services;
    }
}
