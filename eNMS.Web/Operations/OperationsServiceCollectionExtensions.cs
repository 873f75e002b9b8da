using System.Globalization;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Drivers;
using eNMS.Web.Api;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using Serilog;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Compact;

namespace eNMS.Web.Operations;

/// <summary>What an operator runs the app with: health endpoints, Prometheus metrics, structured logs (with a
/// security log apart and levels an admin can change while it runs), backups.</summary>
public static class OperationsServiceCollectionExtensions
{
    private const string Ready = "ready";

    public static IHostApplicationBuilder AddEnmsOperations(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddHealthChecks()
            .AddCheck<DatabaseReachableCheck>("database", tags: [Ready])
            .AddCheck<MigrationsAppliedCheck>("migrations", tags: [Ready])
            .AddCheck<SchedulerRunningCheck>("scheduler", tags: [Ready])
            .AddCheck<KeyRingReadableCheck>("key ring", tags: [Ready]);

        services.AddSingleton<CircuitMetrics>();
        services.AddScoped<CircuitHandler, CircuitCounter>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(RunMetrics.MeterName, DriverMetrics.MeterName, CircuitMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            // Each scrape sees the counts of that moment (the exporter would otherwise answer from a cache for 300 ms).
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        services.AddAuthorizationBuilder().AddPolicy(MetricsAccess.Policy, MetricsAccess.Build(builder.Configuration));

        services.AddSingleton<LogLevels>();
        services.AddSingleton<OperationsActions>();
        // Serilog is the one provider the app itself adds (it writes the console too), as a provider of the usual
        // logging pipeline rather than in its place: a test's capturing provider still gets every message, formatted
        // as Microsoft.Extensions.Logging formats it. Serilog's switches decide what it writes, so it is exempt from
        // the Logging:LogLevel rules (which seed those switches, see LogLevels).
        builder.Logging.ClearProviders();
        builder.Logging.AddFilter<SerilogLoggerProvider>(null, LogLevel.Trace);
        services.AddSingleton<ILoggerProvider>(sp => new SerilogLoggerProvider(
            ConfigureLogs(new LoggerConfiguration(), sp.GetRequiredService<LogLevels>(), sp.GetRequiredService<DataPaths>()).CreateLogger(), dispose: true));
        return builder;
    }

    /// <summary>Console for people (and container logs), rolling JSON files under <c>DATA_DIR/logs</c> for machines:
    /// <c>enms-*.json</c> for everything, <c>security-*.json</c> for the security log alone (kept longer).</summary>
    private static LoggerConfiguration ConfigureLogs(LoggerConfiguration logger, LogLevels levels, DataPaths paths)
    {
        logger.MinimumLevel.ControlledBy(levels.DefaultSwitch);
        foreach (var (category, levelSwitch) in levels.Overrides)
        {
            logger.MinimumLevel.Override(category, levelSwitch);
        }
        // The security log is never quieted by a level change: sign-ins and permission changes are always written.
        logger.MinimumLevel.Override(SecurityLogInterceptor.Category, Serilog.Events.LogEventLevel.Information);
        var directory = Path.Combine(paths.DataDirectory, "logs");
        logger.Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}",
                formatProvider: CultureInfo.InvariantCulture)
            .WriteTo.Logger(files => files
                .Enrich.With<SecretPropertyMask>()
                .WriteTo.File(new CompactJsonFormatter(), Path.Combine(directory, "enms-.json"), rollingInterval: RollingInterval.Day,
                    retainedFileCountLimit: 14, fileSizeLimitBytes: 100 * 1024 * 1024, rollOnFileSizeLimit: true, shared: true)
                .WriteTo.Logger(security => security
                    .Filter.ByIncludingOnly(Serilog.Filters.Matching.FromSource(SecurityLogInterceptor.Category))
                    .WriteTo.File(new CompactJsonFormatter(), Path.Combine(directory, "security-.json"), rollingInterval: RollingInterval.Day,
                        retainedFileCountLimit: 365, shared: true)));
        return logger;
    }

    public static WebApplication UseEnmsOperations(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // No sign-in for the health endpoints: a load balancer, Docker or Kubernetes probes them without credentials, and
        // they answer nothing but Healthy/Unhealthy (the reason of a failure goes to the log, not to the caller).
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready) }).AllowAnonymous();
        app.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: pipeline =>
            pipeline.Use(async (context, next) =>
            {
                await context.RequestServices.GetRequiredService<RunMetrics>().RefreshQueueAsync(context.RequestAborted);
                await next(context);
            }), optionsName: null).RequireAuthorization(MetricsAccess.Policy);
        app.MapGroup("/api/admin").RequireAuthorization(Policies.Admin).RequireRateLimiting(SecurityServiceCollectionExtensions.ApiRateLimit)
            .MapOperationsEndpoints().MapSettingsEndpoints();
        return app;
    }
}
