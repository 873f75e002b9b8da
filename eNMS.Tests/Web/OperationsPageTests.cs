using Bunit;
using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Web.Components.Pages.Admin;
using eNMS.Web.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace eNMS.Tests.Web;

/// <summary>The operations page: an admin changes a log level (applied to the switch Serilog reads, audited) and takes
/// a backup that is then listed for download.</summary>
public sealed class OperationsPageTests : WebTestContext
{
    private readonly string _data = Directory.CreateTempSubdirectory("enms-ops-page-").FullName;
    private readonly LogLevels _levels = new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
    }).Build());

    public OperationsPageTests()
    {
        Services.AddSingleton(_levels);
        Services.AddSingleton(new DataPaths(_data, Path.Combine(_data, "keys")));
        Services.AddSingleton(new DatabaseOptions());
        Services.AddSingleton<InstanceBackup>();
        Services.AddSingleton<OperationsActions>();
        Services.Configure<RetentionOptions>(o => o.RunDays = 30);
        Services.AddSingleton<RunRetention>();
        Services.AddLogging();
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task An_admin_changes_a_level_and_takes_a_backup_both_audited()
    {
        var page = Render<OperationsPage>();
        Assert.Equal(["Default", "eNMS", "Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "Quartz"],
            page.FindAll("[data-testid=log-category]").Select(c => c.TextContent));

        // One select per row, in the order of the categories above.
        var select = page.FindComponents<MudSelect<string>>()[2];
        await page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync("Debug"));
        Assert.Equal(Serilog.Events.LogEventLevel.Debug, _levels.Overrides.Single(o => o.Key == "Microsoft.AspNetCore").Value.MinimumLevel);

        Assert.Contains("No backup", page.Find("[data-testid=backups]").TextContent, StringComparison.Ordinal);
        await page.InvokeAsync(() => page.Find("button[data-testid=backup-now]").Click());
        page.WaitForAssertion(() => Assert.StartsWith("enms-backup-", page.Find("[data-testid=backup-name]").TextContent, StringComparison.Ordinal));
        Assert.Single(Directory.GetFiles(Path.Combine(_data, "backups"), "*.zip"));

        await using var db = await DbFactory.CreateDbContextAsync();
        var entries = await db.AuditEntries.OrderBy(e => e.Id).Select(e => new { e.User, e.Action, e.TargetName, e.After }).ToListAsync();
        Assert.Equal(("tester", "log level change", "Microsoft.AspNetCore", "Warning -> Debug"), (entries[0].User, entries[0].Action, entries[0].TargetName, entries[0].After));
        Assert.Equal(("tester", "backup"), (entries[1].User, entries[1].Action));
    }

    [Fact]
    public async Task An_admin_sees_what_the_retention_policy_would_purge_and_purges_it_after_confirming()
    {
        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            var now = TimeProvider.System.GetUtcNow();
            var old = now.AddDays(-45);
            db.Runs.AddRange(
                new Run { ServiceId = 1, ServiceName = "nightly backup", Status = RunStatus.Completed, CreatedAt = old, EndedAt = old },
                new Run { ServiceId = 1, ServiceName = "nightly backup", Status = RunStatus.Completed, CreatedAt = now, EndedAt = now });
            await db.SaveChangesAsync();
        }
        var provider = Render<MudDialogProvider>();
        var page = Render<OperationsPage>();
        page.WaitForAssertion(() => Assert.Contains("Keeping runs for 30 days. Expired now: 1 runs", page.Find("[data-testid=retention-policy]").TextContent, StringComparison.Ordinal));

        // Asked first: cancelling purges nothing.
        await page.InvokeAsync(() => page.Find("button[data-testid=retention-purge]").Click());
        await provider.InvokeAsync(() => provider.FindAll(".mud-message-box button").Single(b => b.TextContent.Contains("Cancel", StringComparison.Ordinal)).Click());
        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            Assert.Equal(2, await db.Runs.CountAsync());
        }

        await page.InvokeAsync(() => page.Find("button[data-testid=retention-purge]").Click());
        await provider.InvokeAsync(() => provider.FindAll(".mud-message-box button").Single(b => b.TextContent.Contains("Purge", StringComparison.Ordinal)).Click());
        page.WaitForAssertion(() => Assert.Contains("Expired now: 0 runs", page.Find("[data-testid=retention-policy]").TextContent, StringComparison.Ordinal));
        await using var after = await DbFactory.CreateDbContextAsync();
        Assert.Equal(1, await after.Runs.CountAsync());
        var entry = await after.AuditEntries.SingleAsync();
        Assert.Equal(("tester", "retention purge", "1 runs"), (entry.User, entry.Action, entry.TargetName));
    }
}
