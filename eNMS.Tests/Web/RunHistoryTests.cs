using Bunit;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Inventory;
using eNMS.Web.Components.Pages.Automation;
using eNMS.Web.Components.Pages.Inventory;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Web;

/// <summary>A device's run history on its page, and the runs list filtered by service, status, user and device.</summary>
public sealed class RunHistoryTests : WebTestContext
{
    public RunHistoryTests() => Services.AddSingleton<RunNotifier>();

    private async Task<(int Paris, int London)> SeedRunsAsync()
    {
        await SeedAsync(db => db.Devices.AddRange(new Device { Name = "paris" }, new Device { Name = "london" }));
        await using var db = await DbFactory.CreateDbContextAsync();
        var paris = (await db.Devices.SingleAsync(d => d.Name == "paris")).Id;
        var london = (await db.Devices.SingleAsync(d => d.Name == "london")).Id;
        Run Run(int service, string name, RunStatus status, string user, params int[] devices) =>
            new() { ServiceId = service, ServiceName = name, Status = status, CreatedBy = user, DeviceIds = [.. devices], CreatedAt = DateTimeOffset.UnixEpoch };
        var runs = new[]
        {
            Run(1, "backup", RunStatus.Completed, "alice", paris, london),
            Run(2, "ntp push", RunStatus.Failed, "bob", paris),
            Run(1, "backup", RunStatus.Completed, "bob", london),
        };
        db.Runs.AddRange(runs);
        await db.SaveChangesAsync();
        db.RunResults.AddRange(
            new RunResult { RunId = runs[0].Id, ServiceName = "backup", DeviceId = paris, DeviceName = "paris", Success = true, Changed = true },
            new RunResult { RunId = runs[1].Id, ServiceName = "ntp push", DeviceId = paris, DeviceName = "paris", Error = "% Invalid input detected" },
            new RunResult { RunId = runs[1].Id, Node = "push", ServiceName = "ntp push", DeviceId = paris, DeviceName = "paris" },
            // A completed run recorded a result on every device it targeted (a device's history is read from them).
            new RunResult { RunId = runs[0].Id, ServiceName = "backup", DeviceId = london, DeviceName = "london", Success = true },
            new RunResult { RunId = runs[2].Id, ServiceName = "backup", DeviceId = london, DeviceName = "london", Success = true });
        await db.SaveChangesAsync();
        return (paris, london);
    }

    [Fact]
    public async Task The_device_page_lists_what_ran_on_it_newest_first_and_links_to_all_its_runs()
    {
        var (paris, _) = await SeedRunsAsync();

        var page = Render<DeviceDetailPage>(p => p.Add(x => x.Id, paris));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=device-history-row]").Count));
        var rows = page.FindAll("[data-testid=device-history-row]").Select(r => r.TextContent).ToList();
        Assert.Contains("ntp push", rows[0], StringComparison.Ordinal);
        Assert.Contains("% Invalid input detected", rows[0], StringComparison.Ordinal);
        Assert.Contains("changed", rows[1], StringComparison.Ordinal);
        Assert.EndsWith($"runs?device={paris}", page.Find("[data-testid=device-all-runs]").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_runs_list_keeps_to_the_device_of_its_link_and_to_the_user_typed()
    {
        var (_, london) = await SeedRunsAsync();
        Services.GetRequiredService<NavigationManager>().NavigateTo($"runs?device={london}");

        var page = Render<RunsPage>();

        page.WaitForAssertion(() => Assert.Equal(["bob", "alice"], page.FindAll("[data-testid=run-by]").Select(c => c.TextContent)));
        Assert.Contains($"on device #{london}", page.Find("[data-testid=run-filter-device]").TextContent, StringComparison.Ordinal);
        page.Find("input[data-testid=run-filter-user]").Input("alice");
        page.WaitForAssertion(() => Assert.Equal(["alice"], page.FindAll("[data-testid=run-by]").Select(c => c.TextContent)), TimeSpan.FromSeconds(5));
    }
}
