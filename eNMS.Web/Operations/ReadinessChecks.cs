using eNMS.Core.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace eNMS.Web.Operations;

/// <summary>The database answers.</summary>
public sealed class DatabaseReachableCheck(IDbContextFactory<EnmsDbContext> dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The database cannot be reached");
    }
}

/// <summary>Every migration this build knows is applied: a node started before another finished migrating, or on a
/// database restored from an older build, must not take traffic.</summary>
public sealed class MigrationsAppliedCheck(IDbContextFactory<EnmsDbContext> dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        return pending.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"Migrations not applied: {string.Join(", ", pending)}");
    }
}

/// <summary>Quartz runs: schedules fire and queued runs execute only while it does.</summary>
public sealed class SchedulerRunningCheck(ISchedulerFactory schedulers) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = await (await schedulers.GetScheduler(cancellationToken)).GetStatus(cancellationToken);
        return status == SchedulerStatus.Running
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"The scheduler is not running ({status})");
    }
}

/// <summary>The Data Protection key ring can be read and decrypted: without it no device credential can be read and no
/// sign-in cookie checked. The keys are read from their directory on every check (Data Protection itself caches them
/// for hours, so a lost volume or certificate would otherwise go unnoticed until then).</summary>
public sealed class KeyRingReadableCheck(IDataProtectionProvider provider, IKeyManager keys) : IHealthCheck
{
    private static readonly byte[] Probe = "enms-readiness"u8.ToArray();

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var protector = provider.CreateProtector("eNMS.Readiness");
        if (!protector.Unprotect(protector.Protect(Probe)).AsSpan().SequenceEqual(Probe))
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The key ring does not decrypt what it encrypted"));
        }
        var usable = keys.GetAllKeys().Where(k => !k.IsRevoked).ToList();
        // Reading a key's descriptor decrypts it (with the certificate, when the ring is encrypted at rest).
        _ = usable.Select(k => k.Descriptor).ToList();
        return Task.FromResult(usable.Count > 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The key ring has no usable key"));
    }
}
