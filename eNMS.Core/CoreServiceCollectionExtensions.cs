using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Core.Inventory.Editing;
using eNMS.Core.Inventory.Export;
using eNMS.Core.Inventory.Import;
using eNMS.Core.Scheduling;
using eNMS.Core.Security;
using eNMS.Core.Security.Ldap;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
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
        // The settings an admin changes in the app: under every other source, so appsettings, environment and command line win.
        var storedSettings = new Settings.StoredSettingsConfigurationSource();
        builder.Configuration.Sources.Insert(0, storedSettings);
        services.AddSingleton(storedSettings);
        services.AddSingleton<Settings.RuntimeSettings>();
        services.AddHostedService<Settings.RuntimeSettingsRefresher>();
        services.AddSingleton(TimeProvider.System);
        services.AddEnmsDatabase(database, dataDirectory);

        var keyRing = builder.Configuration.GetSection("DataProtection").Get<KeyRingOptions>() ?? new KeyRingOptions();
        var keyDirectory = keyRing.KeyDirectory is { Length: > 0 } configured ? configured : Path.Combine(dataDirectory, "keys");
        services.AddSingleton(new DataPaths(dataDirectory, Path.GetFullPath(keyDirectory)));
        services.AddDataProtection().SetApplicationName("eNMS").PersistKeysToFileSystem(new DirectoryInfo(keyDirectory)).ProtectKeyRing(keyRing);
        services.AddSingleton<SecretProtector>();
        services.AddEnmsAccounts();
        if (builder.Configuration.GetSection(LdapOptions.Section).Get<LdapOptions>()?.Validate() is { } ldapProblem)
        {
            throw new InvalidOperationException(ldapProblem);
        }
        if (builder.Configuration.GetSection(Security.Oidc.OidcOptions.Section).Get<Security.Oidc.OidcOptions>()?.Validate() is { } oidcProblem)
        {
            throw new InvalidOperationException(oidcProblem);
        }

        services.AddOptions<ImportSettings>().BindConfiguration("Import");
        services.AddSingleton<ImportCredentials>();
        services.AddSingleton<InventoryImporter>();
        services.AddSingleton<InventoryExporter>();
        services.AddSingleton<InventoryEditor>();
        services.AddSingleton<DeviceBulkEditor>();
        services.AddSingleton<Search.GlobalSearch>();
        services.AddOptions<Parsing.ParsingOptions>().BindConfiguration("Parsing");
        services.AddSingleton<Parsing.ParsingLibrary>();
        services.AddSingleton<Parsing.ParsingTemplates>();
        services.AddSingleton<Parsing.DeviceGetters>();
        services.AddSingleton<Discovery.TopologyDiscovery>();
        services.AddSingleton<DatabaseInitializer>();
        services.AddSingleton(database);
        services.AddSingleton<InstanceBackup>();
        services.AddAutomation();
        services.AddScheduling(builder.Configuration, database, database.EffectiveConnectionString(dataDirectory));
        return builder;
    }

    /// <summary>Identity's user and role stores on <see cref="EnmsDbContext"/> (password and lockout rules), API tokens,
    /// the audit log. The web layer adds sign-in on top.</summary>
    public static IServiceCollection AddEnmsAccounts(this IServiceCollection services)
    {
        services.AddIdentityCore<EnmsUser>(o =>
        {
            o.Password.RequiredLength = 12;
            o.Password.RequireNonAlphanumeric = false;
            o.Password.RequireUppercase = false;
            o.Password.RequireLowercase = false;
            o.Password.RequireDigit = false;
            o.Lockout.MaxFailedAccessAttempts = 5;
            o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            o.Lockout.AllowedForNewUsers = true;
            o.User.RequireUniqueEmail = false;
        }).AddRoles<IdentityRole>().AddEntityFrameworkStores<EnmsDbContext>();
        services.AddSingleton<ApiTokens>();
        services.AddSingleton<AuditLog>();
        services.AddScoped<AccountAudit>();
        services.AddScoped<UserAdministration>();
        services.AddSingleton<GroupAdministration>();
        services.AddSingleton<AccountSeeder>();
        services.AddOptions<LdapOptions>().BindConfiguration(LdapOptions.Section);
        services.AddSingleton<LdapDirectory>();
        services.AddScoped<DirectorySignIn>();
        services.AddScoped<ShadowAccounts>();
        services.AddOptions<Security.Oidc.OidcOptions>().BindConfiguration(Security.Oidc.OidcOptions.Section);
        services.AddScoped<Security.Oidc.OidcSignIn>();
        return services;
    }

    private static readonly SqliteBusyWait.Interceptor BusyWait = new();
    private static readonly SqliteUserRegex UserRegexFunction = new();

    /// <summary>Registers the provider's context factory (with the audit interceptor; on SQLite also the busy wait and the bounded REGEXP) and,
    /// for Identity's stores, a scoped <see cref="EnmsDbContext"/>.</summary>
    public static IServiceCollection AddEnmsDatabase(this IServiceCollection services, DatabaseOptions database, string dataDirectory)
    {
        services.AddSingleton<AuditInterceptor>();
        services.AddSingleton<SecurityLogInterceptor>();
        services.AddLogging();
        if (database.Provider == DatabaseProvider.Postgres)
        {
            services.AddDbContextFactory<PostgresEnmsDbContext>((sp, o) => o
                .UseNpgsql(database.ConnectionString, n => n.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery))
                .AddInterceptors(sp.GetRequiredService<AuditInterceptor>(), sp.GetRequiredService<SecurityLogInterceptor>()));
            services.AddSingleton<IDbContextFactory<EnmsDbContext>, EnmsDbContextFactory<PostgresEnmsDbContext>>();
            services.AddScoped<EnmsDbContext>(sp => sp.GetRequiredService<PostgresEnmsDbContext>());
        }
        else
        {
            var connectionString = database.EffectiveConnectionString(dataDirectory);
            services.AddDbContextFactory<SqliteEnmsDbContext>((sp, o) => o
                .UseSqlite(connectionString, s => s.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery))
                .AddInterceptors(sp.GetRequiredService<AuditInterceptor>(), sp.GetRequiredService<SecurityLogInterceptor>(), BusyWait, UserRegexFunction));
            services.AddSingleton<IDbContextFactory<EnmsDbContext>, EnmsDbContextFactory<SqliteEnmsDbContext>>();
            services.AddScoped<EnmsDbContext>(sp => sp.GetRequiredService<SqliteEnmsDbContext>());
        }
        return services;
    }
}
