using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;

namespace eNMS.Core.Scheduling;

public static class SchedulingServiceCollectionExtensions
{
    /// <summary>Quartz with a persistent store in the app's database: SQLite on a single node, PostgreSQL clustered
    /// on several (the qrtz_ tables are Quartz's own, created when missing). Schedules fire and runs execute as Quartz
    /// jobs, so any node may execute them and a live node recovers those of a dead one.</summary>
    internal static IServiceCollection AddScheduling(this IServiceCollection services, IConfiguration configuration, DatabaseOptions database, string connectionString)
    {
        services.AddOptions<SchedulingOptions>().BindConfiguration("Scheduling");
        var options = configuration.GetSection("Scheduling").Get<SchedulingOptions>() ?? new SchedulingOptions();
        var automation = configuration.GetSection("Automation").Get<AutomationOptions>() ?? new AutomationOptions();
        var postgres = database.Provider == DatabaseProvider.Postgres;
        var clustered = options.Clustered ?? postgres;
        if (clustered && !postgres)
        {
            throw new InvalidOperationException("Scheduling:Clustered needs PostgreSQL (Database:Provider=Postgres): Quartz refuses clustering on SQLite.");
        }
        services.AddSingleton<ScheduleEditor>();
        // The one switch of distributed runs: RunExecutor splits a run's devices into batches only when this is registered.
        var distributed = clustered && options.DistributeRuns;
        if (distributed)
        {
            services.AddSingleton<ClusterBatches>();
            // maxParallelDevices and the platform caps hold across the cluster: the places are rows all nodes share.
            services.AddSingleton<ClusterLeases>();
            services.AddHostedService(sp => sp.GetRequiredService<ClusterLeases>());
        }
        var retention = configuration.GetSection("Retention").Get<RetentionOptions>() ?? new RetentionOptions();
        if (retention.Validate() is { } invalidRetention)
        {
            throw new InvalidOperationException(invalidRetention);
        }
        services.AddQuartz(q =>
        {
            // Every node of a cluster shares the scheduler name (the rows in qrtz_ tables) and has its own instance id.
            q.ConfigureScheduler(s =>
            {
                (s.InstanceName, s.InstanceId) = ("eNMS", options.Node);
                if (distributed)
                {
                    // A node only sees triggers queued by another one when it looks at the store again: every second
                    // rather than every 30 s, so that idle nodes take a run's batches promptly.
                    s.IdleWaitTime = TimeSpan.FromSeconds(1);
                }
            });
            // Working runs hold RunSlots (MaxConcurrentRuns); runs waiting for people gave theirs back and only keep
            // Quartz's (idle tasks); schedule fires are short and get a few of their own.
            q.UseDefaultThreadPool(Math.Max(1, automation.MaxConcurrentRuns) + RunSlots.WaitingRuns + 4);
            // Runs left by a dead process are settled once the job store has started (its own recovery done).
            q.AddSchedulerListener(sp => sp.GetRequiredService<RunRecovery>());
            q.AddJob<RetentionJob>(j => j.WithIdentity(RetentionJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(RetentionJob.Key).WithIdentity("retention", "maintenance")
                .WithCronSchedule(retention.Cron, c => c.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)));
            q.UsePersistentStore(store =>
            {
                if (postgres)
                {
                    store.UsePostgres(connectionString);
                }
                else
                {
                    store.UseSqlite(SqliteBusyWait.Factory.Instance, connectionString);
                }
                store.ProvisionSchema();
                store.ConfigureStore(s => s.StoreJobDataAsStrings = true);
                if (clustered)
                {
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = TimeSpan.FromSeconds(options.CheckinIntervalSeconds);
                        c.CheckinMisfireThreshold = TimeSpan.FromSeconds(options.CheckinMisfireThresholdSeconds);
                    });
                }
            });
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        if (postgres)
        {
            services.AddHostedService(sp => new ClusterRunEvents(connectionString, sp.GetRequiredService<RunNotifier>(),
                sp.GetRequiredService<RunDispatcher>(), sp.GetRequiredService<ILogger<ClusterRunEvents>>(), sp.GetService<TimeProvider>()));
        }
        return services;
    }
}
