using System.Security.Claims;
using Bunit;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Configurations;
using eNMS.Core.Inventory;
using eNMS.Core.Security;
using eNMS.Web.Components.Pages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace eNMS.Tests.Web;

public sealed class DashboardPageTests : WebTestContext
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 14, 12, 0, 0, TimeSpan.Zero));

    public DashboardPageTests()
    {
        Services.AddLogging();
        Services.AddSingleton<RunNotifier>();
        Services.AddSingleton<TimeProvider>(_time);
        Services.AddSingleton<ConfigStore>();
    }

    [Fact]
    public async Task Dashboard_lists_flagged_backups_until_a_good_backup_follows_and_not_as_changes()
    {
        var r1 = new Device { Name = "r1" };
        await SeedAsync(db => db.Devices.Add(r1));
        var store = Services.GetRequiredService<ConfigStore>();
        var shape = eNMS.Drivers.Config.ConfigShape.EndsWith("end");
        await store.SaveAsync(r1.Id, "r1", "hostname r1\nntp server 10.0.0.1\nend\n", null, shape, CancellationToken.None);
        var flagged = await store.SaveAsync(r1.Id, "r1", "hostname r1\nntp server 10.0.0.1\n", null, shape, CancellationToken.None);

        var page = Render<DashboardPage>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=flagged-backup]")));
        var row = page.Find("[data-testid=flagged-backup]");
        Assert.Contains("r1", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("end marker", row.GetAttribute("title"), StringComparison.Ordinal);
        Assert.Equal($"devices/{r1.Id}/configuration", row.QuerySelector("a")!.GetAttribute("href"));
        Assert.Single(page.FindAll("[data-testid=config-change]")); // the flagged attempt is no change

        await store.SaveAsync(r1.Id, "r1", "hostname r1\nntp server 10.0.0.2\nend\n", null, shape, CancellationToken.None);
        var later = Render<DashboardPage>();
        later.WaitForAssertion(() => Assert.Equal(2, later.FindAll("[data-testid=config-change]").Count));
        Assert.Empty(later.FindAll("[data-testid=flagged-backup]"));
        Assert.NotNull(flagged.Flag);
    }

    [Fact]
    public async Task Dashboard_counts_inventory_and_automation_and_lists_runs_failures_and_configuration_changes()
    {
        var r1 = new Device { Name = "r1" };
        var r2 = new Device { Name = "r2" };
        var r3 = new Device { Name = "r3" };
        var mine = new Pool { Name = "mine", Mode = PoolMode.Manual, Devices = [r1, r2] };
        await SeedAsync(db =>
        {
            db.AddRange(r1, r2, r3, mine, new Pool { Name = "other", Mode = PoolMode.Manual, Devices = [r3] });
            db.Links.Add(new Link { Name = "r1-r2", Source = r1, Destination = r2 });
            db.Services.AddRange(new Service { Name = "backup", Kind = "config_backup" }, new Service { Name = "ping", Kind = "ping" },
                new Service { Name = "nightly", Kind = "workflow" },
                // A rollback's ad-hoc service is not the catalogue's: not counted.
                new Service { Name = "config_rollback device #1 version #1 (one-off)", Kind = "config_rollback", IsAdHoc = true });
        });
        var done = new Run { ServiceName = "backup", Status = RunStatus.Completed, DevicesTotal = 2, DevicesDone = 2, EndedAt = _time.GetUtcNow().AddDays(-1) };
        var failed = new Run { ServiceName = "ping", Status = RunStatus.Failed, DevicesTotal = 2, DevicesDone = 2, DevicesFailed = 1, EndedAt = _time.GetUtcNow() };
        var running = new Run { ServiceName = "nightly", Status = RunStatus.Running, DevicesTotal = 4, DevicesDone = 2 };
        await SeedAsync(db => db.Runs.AddRange(done, failed, running));
        await SeedAsync(db =>
        {
            db.RunResults.AddRange(
                new RunResult { RunId = failed.Id, DeviceId = r2.Id, DeviceName = "r2", Success = false },
                new RunResult { RunId = failed.Id, DeviceId = r1.Id, DeviceName = "r1", Success = true },
                new RunResult { RunId = failed.Id, DeviceId = r3.Id, DeviceName = "r3", Success = false });
            db.ConfigVersions.AddRange(new ConfigVersion { DeviceId = r1.Id, DeviceName = "r1", RunId = done.Id, CreatedAt = _time.GetUtcNow() },
                new ConfigVersion { DeviceId = r3.Id, DeviceName = "r3", RunId = done.Id, CreatedAt = _time.GetUtcNow() });
        });
        // A user limited to the pool "mine" sees its devices and pool only: r3 and "other" are not counted, r3 not listed as failing nor as changed.
        Authorization.SetClaims(new Claim(EnmsClaims.ScopePool, mine.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var page = Render<DashboardPage>();

        page.WaitForAssertion(() => Assert.Equal("2", page.Find("[data-testid=count-devices]").TextContent));
        Assert.Equal("1", page.Find("[data-testid=count-links]").TextContent);
        Assert.Equal("1", page.Find("[data-testid=count-pools]").TextContent);
        Assert.Equal("2", page.Find("[data-testid=count-services]").TextContent);
        Assert.Equal("1", page.Find("[data-testid=count-workflows]").TextContent);
        var active = Assert.Single(page.FindAll("[data-testid=active-run]"));
        Assert.Contains("nightly", active.TextContent, StringComparison.Ordinal);
        Assert.Contains("2 / 4", active.TextContent, StringComparison.Ordinal);
        Assert.Equal([failed.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), done.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            page.FindAll("[data-testid=recent-run]").Select(r => r.GetAttribute("data-run")));
        var failing = Assert.Single(page.FindAll("[data-testid=failing-device]"));
        Assert.Contains("r2", failing.TextContent, StringComparison.Ordinal);
        Assert.Contains("r1", Assert.Single(page.FindAll("[data-testid=config-change]")).TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Find("[data-testid=success-rate] svg"));
    }

    [Fact]
    public async Task Dashboard_follows_a_run_as_it_progresses_and_finishes_without_reloading()
    {
        var run = new Run { ServiceName = "backup", Status = RunStatus.Running, DevicesTotal = 4 };
        await SeedAsync(db => db.Runs.Add(run));
        var page = Render<DashboardPage>();
        page.WaitForAssertion(() => Assert.Contains("0 / 4", page.Find("[data-testid=active-run-progress]").TextContent, StringComparison.Ordinal));
        var notifier = Services.GetRequiredService<RunNotifier>();

        notifier.Publish(new RunProgressed(run.Id, RunStatus.Running, 1, 0, 4));
        notifier.Publish(new RunProgressed(run.Id, RunStatus.Running, 3, 1, 4));
        _time.Advance(RunFeed.FrameInterval);
        page.WaitForAssertion(() => Assert.Contains("3 / 4 · 1 failed", page.Find("[data-testid=active-run-progress]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=recent-run]"));

        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            var stored = await db.Runs.FindAsync(run.Id);
            (stored!.Status, stored.DevicesDone, stored.DevicesFailed, stored.EndedAt) = (RunStatus.Completed, 4, 1, _time.GetUtcNow());
            await db.SaveChangesAsync();
        }
        notifier.Publish(new RunProgressed(run.Id, RunStatus.Completed, 4, 1, 4));
        _time.Advance(RunFeed.FrameInterval);
        page.WaitForAssertion(() =>
        {
            Assert.NotNull(page.Find("[data-testid=no-active-runs]"));
            Assert.Equal(run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(page.FindAll("[data-testid=recent-run]")).GetAttribute("data-run"));
        });
    }

    [Fact]
    public async Task Success_rate_draws_a_mark_for_the_only_day_with_finished_runs()
    {
        // A newcomer's first day: runs finished today only. A line through one point draws nothing; the chart must
        // still show today's rate.
        await SeedAsync(db => db.Runs.AddRange(
            new Run { ServiceName = "ping", Status = RunStatus.Completed, EndedAt = _time.GetUtcNow() },
            new Run { ServiceName = "ping", Status = RunStatus.Completed, EndedAt = _time.GetUtcNow() },
            new Run { ServiceName = "ping", Status = RunStatus.Failed, EndedAt = _time.GetUtcNow() }));

        var page = Render<DashboardPage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=success-rate] svg")));
        // Each mark is a path "M x y0 L x y1": today's (the last) must have a height, and the rate is also in words.
        var today = page.FindAll("[data-testid=success-rate] path.mud-chart-bar")[^1].GetAttribute("d")!.Split(' ');
        Assert.NotEqual(today[2], today[5]);
        Assert.Contains("Today: 66.7 % of 3 finished runs", page.Find("[data-testid=success-today]").TextContent, StringComparison.Ordinal);
    }
}
