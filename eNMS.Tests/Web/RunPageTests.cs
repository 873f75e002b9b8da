using System.Globalization;
using System.Security.Claims;
using Bunit;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Automation.Handlers;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using eNMS.Web.Components.Pages.Automation;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Web;

public sealed class RunPageTests : WebTestContext
{
    public RunPageTests()
    {
        Services.AddLogging();
        Services.AddSingleton<RunNotifier>();
        Services.AddSingleton<RunWaits>();
        Services.AddSingleton<RunDispatcher>();
        Services.AddSingleton(new ServiceHandlers([]));
        Services.AddSingleton<RunLauncher>();
        Services.AddSingleton<eNMS.Core.Configurations.ConfigActions>();
    }

    [Fact]
    public async Task Results_read_by_service_name_in_the_order_recorded_and_filter_by_device()
    {
        // A one-off action's run: its service's name is only a key, the run's title is what its results read as.
        var oneOff = new Service { Name = "config_rollback device #1 version #3 (one-off)", Kind = "config_rollback", IsAdHoc = true };
        await SeedAsync(db => db.Services.Add(oneOff));
        var run = new Run { ServiceId = oneOff.Id, ServiceName = "nightly backup", Status = RunStatus.Completed, DevicesTotal = 2 };
        await SeedAsync(db => db.Runs.Add(run));
        // Recorded interleaved, as a workflow runs its devices in parallel.
        await SeedAsync(db => db.RunResults.AddRange(
            new RunResult { RunId = run.Id, Node = "n1", ServiceName = "show version", DeviceName = "paris-core", Success = true },
            new RunResult { RunId = run.Id, Node = "n1", ServiceName = "show version", DeviceName = "berlin-edge", Success = true },
            new RunResult { RunId = run.Id, Node = "n2", ServiceName = "backup config", DeviceName = "paris-core", Success = false, Error = "timeout" },
            new RunResult { RunId = run.Id, Node = "n2", ServiceName = "backup config", DeviceName = "berlin-edge", Success = true },
            new RunResult { RunId = run.Id, Node = RunResult.RunLevel, ServiceId = oneOff.Id, ServiceName = oneOff.Name, DeviceName = "paris-core", Success = false }));

        var page = await OpenAsync(run.Id);

        // In the order they were recorded, each with its device; the device filter reads one device's together.
        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll("[data-testid=result-row]").Count));
        Assert.Equal(["paris-core", "berlin-edge", "paris-core", "berlin-edge", "paris-core"], page.FindAll("[data-testid=result-device]").Select(c => c.TextContent.Trim()));
        // Service names, never node ids; the per-device outcome carries the run's title.
        Assert.Equal(["show version", "show version", "backup config", "backup config", "nightly backup"],
            page.FindAll("[data-testid=result-service]").Select(c => c.TextContent.Trim()));
        await page.InvokeAsync(() => page.Find("input[data-testid=results-device-filter]").Change("PARIS"));
        page.WaitForAssertion(() => Assert.Equal(["show version", "backup config", "nightly backup"],
            page.FindAll("[data-testid=result-service]").Select(c => c.TextContent.Trim())));
        Assert.DoesNotContain(">n1<", page.Find("[data-testid=result-table]").InnerHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_run_page_shows_log_lines_results_and_progress_as_they_happen()
    {
        var run = new Run { ServiceName = "backup", Status = RunStatus.Running, DevicesTotal = 2 };
        await SeedAsync(db => db.Runs.Add(run));
        var page = await OpenAsync(run.Id);
        page.WaitForAssertion(() => Assert.Contains("0 of 2 device(s) done", page.Find("[data-testid=run-progress]").TextContent, StringComparison.Ordinal));

        var notifier = Services.GetRequiredService<RunNotifier>();
        notifier.Publish(new RunLogged(run.Id, new RunLogEntry { RunId = run.Id, Message = "connected to paris-core" }));
        var result = new RunResult { RunId = run.Id, ServiceName = "backup", DeviceName = "paris-core", Success = true };
        await SeedAsync(db => db.RunResults.Add(result));  // the engine's writer stores what it publishes; the list reads the store
        notifier.Publish(new ResultRecorded(run.Id, result));
        notifier.Publish(new RunProgressed(run.Id, RunStatus.Running, 1, 0, 2));
        notifier.Publish(new RunLogged(run.Id + 1, new RunLogEntry { RunId = run.Id + 1, Message = "another run" }));

        page.WaitForAssertion(() =>
        {
            Assert.Contains("connected to paris-core", page.Find("[data-testid=run-log]").TextContent, StringComparison.Ordinal);
            Assert.Contains("paris-core", page.Find("[data-testid=result-table]").TextContent, StringComparison.Ordinal);
            Assert.Contains("1 of 2 device(s) done", page.Find("[data-testid=run-progress]").TextContent, StringComparison.Ordinal);
        });
        Assert.DoesNotContain("another run", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_run_page_shows_what_the_run_waits_for_as_its_waits_begin_and_end()
    {
        var run = new Run { ServiceName = "gated change", Status = RunStatus.Running, DevicesTotal = 3 };
        await SeedAsync(db => db.Runs.Add(run));
        var waits = Services.GetRequiredService<RunWaits>();
        // A wait begun before the page opened is shown from the start.
        using var paris = waits.Begin(run.Id, "approval at 'gate'");
        var page = await OpenAsync(run.Id);
        page.WaitForAssertion(() => Assert.Equal("Waiting for approval at 'gate'", page.Find("[data-testid=run-waiting]").TextContent.Trim()));

        var london = waits.Begin(run.Id, "approval at 'gate'");
        var frozen = waits.Begin(run.Id, "change freeze 'stadium' to end (2026-12-24 18:00 UTC)");
        using var other = waits.Begin(run.Id + 1, "approval of rollout batch 2");
        page.WaitForAssertion(() => Assert.Equal("Waiting for approval at 'gate' (2 devices); change freeze 'stadium' to end (2026-12-24 18:00 UTC)",
            page.Find("[data-testid=run-waiting]").TextContent.Trim()));

        london.Dispose();
        frozen.Dispose();
        page.WaitForAssertion(() => Assert.Equal("Waiting for approval at 'gate'", page.Find("[data-testid=run-waiting]").TextContent.Trim()));
        paris.Dispose();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=run-waiting]")));
        Assert.Equal((1, 1), waits.Counts);
    }

    [Fact]
    public async Task The_run_page_shows_devices_recovered_next_to_succeeded_and_failed_stored_and_live()
    {
        var run = new Run { ServiceName = "wf", Status = RunStatus.Completed, DevicesTotal = 4, DevicesDone = 4, DevicesFailed = 1, DevicesRecovered = 2 };
        await SeedAsync(db => db.Runs.Add(run));
        var page = await OpenAsync(run.Id);
        page.WaitForAssertion(() => Assert.Equal("2 recovered", page.Find("[data-testid=run-recovered]").TextContent));
        Assert.Equal("3 succeeded", page.Find("[data-testid=run-succeeded]").TextContent);
        Assert.Equal("1 failed", page.Find("[data-testid=run-failed]").TextContent);

        Services.GetRequiredService<RunNotifier>().Publish(new RunProgressed(run.Id, RunStatus.Running, 4, 0, 4, 3));

        page.WaitForAssertion(() => Assert.Equal("3 recovered", page.Find("[data-testid=run-recovered]").TextContent));
        Assert.Equal("4 succeeded", page.Find("[data-testid=run-succeeded]").TextContent);
    }

    [Fact]
    public async Task A_user_limited_to_a_pool_sees_only_its_devices_results_live_and_stored_and_not_the_log_of_a_mixed_run()
    {
        var world = await ScopedWorld.SeedAsync(DbFactory);
        Authorization.SetRoles(Roles.Operator);
        Authorization.SetClaims(new Claim(EnmsClaims.ScopePool, world.InsidePool.ToString(CultureInfo.InvariantCulture)));
        var page = await OpenAsync(world.MixedRun);
        page.WaitForAssertion(() => Assert.Contains("inside-router", page.Find("[data-testid=result-table]").TextContent, StringComparison.Ordinal));
        Assert.NotNull(page.Find("[data-testid=log-hidden]"));

        var notifier = Services.GetRequiredService<RunNotifier>();
        notifier.Publish(new RunLogged(world.MixedRun, new RunLogEntry { RunId = world.MixedRun, Message = $"{ScopedWorld.OutsideName}: login failed" }));
        // As the engine does: each result is published and written (the list reads what is written).
        var outside = new RunResult { RunId = world.MixedRun, ServiceName = "backup", DeviceId = world.Outside, DeviceName = ScopedWorld.OutsideName };
        var retry = new RunResult { RunId = world.MixedRun, ServiceName = "retry", DeviceId = world.Inside, DeviceName = "inside-router" };
        await SeedAsync(db => db.RunResults.AddRange(outside, retry));
        notifier.Publish(new ResultRecorded(world.MixedRun, outside));
        notifier.Publish(new ResultRecorded(world.MixedRun, retry));

        page.WaitForAssertion(() => Assert.Contains("retry", page.Find("[data-testid=result-table]").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain(ScopedWorld.OutsideName, page.Markup, StringComparison.Ordinal);

        var hidden = Render<RunPage>(p => p.Add(x => x.RunId, world.OutsideRun));
        hidden.WaitForAssertion(() => Assert.DoesNotContain("result-table", hidden.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain(ScopedWorld.OutsideName, hidden.Markup, StringComparison.Ordinal);
    }

    private async Task<IRenderedComponent<RunPage>> OpenAsync(int runId)
    {
        var page = Render<RunPage>(p => p.Add(x => x.RunId, runId));
        page.WaitForAssertion(() => Assert.Contains(JSInterop.Invocations, i => i.Identifier.EndsWith("Virtualize.init", StringComparison.Ordinal)));
        await ShowViewportAsync(page, 20 * RunPage.ResultRowHeight);
        return page;
    }

    [Fact]
    public async Task A_run_with_100000_results_renders_a_screenful_and_filters_in_the_database()
    {
        var run = new Run { ServiceName = "audit", Status = RunStatus.Completed, DevicesTotal = 1000 };
        await SeedAsync(db => db.Runs.Add(run));
        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            var results = Enumerable.Range(0, 100_000).Select(i => new RunResult
            {
                RunId = run.Id,
                Node = $"n{i / 1000}",
                ServiceName = $"check-{i / 1000:D2}",
                DeviceId = i % 1000,
                DeviceName = $"dev-{i % 1000:D4}",
                Success = !(i % 1000 == 42 && i / 1000 == 7),
                Output = new string('x', 200),
            }).ToList();
            await eNMS.Core.Data.BulkInsert.AppendAsync(db, results, default);
        }

        var page = await OpenAsync(run.Id);

        page.WaitForAssertion(() => Assert.Equal("100,000 listed", page.Find("[data-testid=results-count]").TextContent.Trim()));
        Assert.InRange(page.FindAll("[data-testid=result-row]").Count, 1, 60);
        await page.InvokeAsync(() => page.Find("input[data-testid=results-device-filter]").Change("dev-0042"));
        page.WaitForAssertion(() => Assert.Equal("100 listed", page.Find("[data-testid=results-count]").TextContent.Trim()));
        await page.InvokeAsync(() => page.Find("input[data-testid=results-node-filter]").Change("check-07"));
        page.WaitForAssertion(() => Assert.Equal("1 listed", page.Find("[data-testid=results-count]").TextContent.Trim()));
        Assert.Contains("failure", Assert.Single(page.FindAll("[data-testid=result-row]")).TextContent, StringComparison.Ordinal);
    }

    /// <summary>Closed tabs release what they watched: pages with their panels and matrix opened and closed many times
    /// leave no subscription behind.</summary>
    [Fact]
    public async Task Run_pages_opened_and_closed_leave_no_subscriber()
    {
        var run = new Run { ServiceName = "backup", Status = RunStatus.Running, DevicesTotal = 2 };
        await SeedAsync(db => db.Runs.Add(run));
        var notifier = Services.GetRequiredService<RunNotifier>();
        for (var i = 0; i < 20; i++)
        {
            var page = Render<RunPage>(p => p.Add(x => x.RunId, run.Id));
            page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=result-table]")));
            Assert.True(notifier.SubscriberCount > 0);
            await DisposeComponentsAsync();
        }
        Assert.Equal(0, notifier.SubscriberCount);
    }

    [Fact]
    public void A_result_whose_event_races_the_initial_load_is_listed_once()
    {
        // Saved before the load ran (the recorder gave the published object its id), its event handled after.
        var saved = new RunResult { Id = 7, RunId = 1, DeviceName = "paris-core" };
        // Published but not yet written when the load ran: only the event brings it.
        var unsaved = new RunResult { RunId = 1, DeviceName = "london-core" };
        var view = new RunView(maxLogLines: 100);

        Assert.False(view.Apply(new ResultRecorded(1, saved)));
        Assert.False(view.Apply(new ResultRecorded(1, unsaved)));
        Assert.False(view.Apply(new RunLogged(1, new RunLogEntry { Id = 3, RunId = 1, Message = "connected" })));
        view.Load([new RunResult { Id = 7, RunId = 1, DeviceName = "paris-core" }], [new RunLogEntry { Id = 3, RunId = 1, Message = "connected" }]);
        Assert.False(view.Apply(new ResultRecorded(1, saved)));

        Assert.Equal(["paris-core", "london-core"], view.Results.Select(r => r.DeviceName));
        Assert.Single(view.Log);
    }

    [Fact]
    public async Task Two_results_of_a_node_on_a_device_compare_as_a_diff_with_secrets_masked_for_a_viewer()
    {
        Authorization.SetRoles(Roles.Viewer);
        Authorization.SetPolicies(Policies.Read);
        var (first, second) = (new Run { ServiceName = "backup", Status = RunStatus.Completed }, new Run { ServiceName = "backup", Status = RunStatus.Completed });
        await SeedAsync(db => db.Runs.AddRange(first, second));
        await SeedAsync(db => db.RunResults.AddRange(
            new RunResult
            {
                RunId = first.Id,
                ServiceId = 4,
                DeviceId = 9,
                DeviceName = "paris-core",
                ServiceName = "backup",
                Success = true,
                Output = "hostname paris-core\nenable secret 5 old-secret\nntp server 10.0.0.1"
            },
            new RunResult
            {
                RunId = second.Id,
                ServiceId = 4,
                DeviceId = 9,
                DeviceName = "paris-core",
                ServiceName = "backup",
                Success = true,
                Output = "hostname paris-core\nenable secret 5 new-secret\nntp server 10.0.0.2"
            },
            new RunResult { RunId = first.Id, ServiceId = 4, DeviceId = 10, DeviceName = "london-core", ServiceName = "backup", Output = "other device" }));
        var page = await OpenAsync(second.Id);
        page.WaitForAssertion(() => Assert.Contains("paris-core", page.Find("[data-testid=result-table]").TextContent, StringComparison.Ordinal));
        var provider = Render<MudBlazor.MudDialogProvider>();

        await page.InvokeAsync(() => page.Find("[data-testid=compare-result]").Click());

        provider.WaitForAssertion(() =>
        {
            var diff = provider.Find("[data-testid=compare-diff]").TextContent;
            Assert.Contains("- ntp server 10.0.0.1", diff, StringComparison.Ordinal);
            Assert.Contains("+ ntp server 10.0.0.2", diff, StringComparison.Ordinal);
            Assert.Contains($"since run #{first.Id}", provider.Find("[data-testid=compare-summary]").TextContent, StringComparison.Ordinal);
        });
        Assert.DoesNotContain("old-secret", provider.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("new-secret", provider.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("other device", provider.Markup, StringComparison.Ordinal);
        // One line per line, also side by side, where the two halves share the width instead of growing past it.
        Assert.Contains("- ntp server 10.0.0.1\n+ ntp server 10.0.0.2\n", provider.Find("[data-testid=compare-diff]").TextContent, StringComparison.Ordinal);
        await provider.InvokeAsync(() => provider.Find("[data-testid=compare-side-by-side] input, input[data-testid=compare-side-by-side]").Change(true));
        provider.WaitForAssertion(() =>
        {
            var after = provider.Find("[data-testid=compare-after]");
            Assert.Equal("hostname paris-core\nenable secret 5 ******\nntp server 10.0.0.2\n", after.TextContent);
            Assert.Contains("enms-side-by-side", after.ParentElement!.ClassName, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task The_log_and_the_diff_tab_keep_one_line_per_line()
    {
        var run = new Run { ServiceName = "deploy", Status = RunStatus.Running, DevicesTotal = 1 };
        await SeedAsync(db => db.Runs.Add(run));
        await SeedAsync(db => db.RunResults.Add(new RunResult
        {
            RunId = run.Id,
            ServiceName = "deploy",
            DeviceName = "paris-core",
            Success = true,
            Changed = true,
            Output = "Applied",
            Diff = "+ ntp server 10.0.0.1\n+ ntp server 10.0.0.2",
        }));
        var page = await OpenAsync(run.Id);
        var provider = Render<MudBlazor.MudDialogProvider>();
        page.WaitForAssertion(() => Assert.Contains("paris-core", page.Find("[data-testid=result-table]").TextContent, StringComparison.Ordinal));
        var notifier = Services.GetRequiredService<RunNotifier>();
        notifier.Publish(new RunLogged(run.Id, new RunLogEntry { Id = 1, RunId = run.Id, Message = "deploy · paris-core: succeeded" }));
        notifier.Publish(new RunLogged(run.Id, new RunLogEntry { Id = 2, RunId = run.Id, Message = "Run completed" }));

        page.WaitForAssertion(() => Assert.Matches(@"^\S+ deploy · paris-core: succeeded\n\S+ Run completed\n$", page.Find("[data-testid=run-log]").TextContent));
        await page.InvokeAsync(() => page.Find("[data-testid=result-outcome]").Click());
        provider.WaitForAssertion(() => provider.Find("[data-testid=result-output]"));
        await provider.InvokeAsync(() => provider.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Diff").Click());
        provider.WaitForAssertion(() =>
            Assert.Equal("+ ntp server 10.0.0.1\n+ ntp server 10.0.0.2\n", provider.Find("[data-testid=result-diff]").TextContent));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_run_page_masks_configuration_secrets_for_a_user_without_secrets_read(bool mayReadSecrets)
    {
        if (!mayReadSecrets)
        {
            Authorization.SetRoles(Roles.Operator);
            Authorization.SetPolicies(Policies.Read, Policies.AutomationRun);
        }
        var run = new Run { ServiceName = "backup", Status = RunStatus.Completed };
        await SeedAsync(db => db.Runs.Add(run));
        await SeedAsync(db => db.RunResults.Add(new RunResult
        {
            RunId = run.Id,
            ServiceName = "backup",
            DeviceName = "paris-core",
            Success = true,
            Output = "hostname paris-core\nenable secret 5 $1$abcd$s3cr3t-hash\nsnmp-server community public-community RO",
        }));
        var page = await OpenAsync(run.Id);
        var provider = Render<MudBlazor.MudDialogProvider>();
        page.WaitForAssertion(() => Assert.Contains("paris-core", page.Find("[data-testid=result-table]").TextContent, StringComparison.Ordinal));

        await page.InvokeAsync(() => page.Find("[data-testid=result-outcome]").Click());

        provider.WaitForAssertion(() => Assert.Contains("hostname paris-core", provider.Find("[data-testid=result-output]").TextContent, StringComparison.Ordinal));
        string[] secrets = ["s3cr3t-hash", "public-community"];
        foreach (var secret in secrets)
        {
            Assert.Equal(mayReadSecrets, provider.Markup.Contains(secret, StringComparison.Ordinal));
        }
        Assert.Equal(!mayReadSecrets, provider.Find("[data-testid=result-output]").TextContent.Contains("enable secret 5 ******", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_transfer_shows_its_bytes_of_the_total_as_they_come_and_goes_when_its_result_does()
    {
        var run = new Run { ServiceName = "upgrade", Status = RunStatus.Running, DevicesTotal = 1 };
        await SeedAsync(db => db.Runs.Add(run));
        var page = await OpenAsync(run.Id);
        page.WaitForAssertion(() => Assert.Contains("0 of 1 device(s) done", page.Find("[data-testid=run-progress]").TextContent, StringComparison.Ordinal));
        var notifier = Services.GetRequiredService<RunNotifier>();

        notifier.Publish(new TransferProgressed(run.Id, "copy", 7, "ios-1", "flash:image.bin", 2 * 1024 * 1024, 8 * 1024 * 1024));
        page.WaitForAssertion(() => Assert.Equal("ios-1 · flash:image.bin: 2.0 MiB / 8.0 MiB (25 %)", page.Find("[data-testid=run-transfer] p").TextContent.Trim()));
        notifier.Publish(new TransferProgressed(run.Id, "copy", 7, "ios-1", "flash:image.bin", 6 * 1024 * 1024, 8 * 1024 * 1024));
        page.WaitForAssertion(() => Assert.Equal("ios-1 · flash:image.bin: 6.0 MiB / 8.0 MiB (75 %)", page.Find("[data-testid=run-transfer] p").TextContent.Trim()));
        notifier.Publish(new ResultRecorded(run.Id, new RunResult { RunId = run.Id, Node = "copy", ServiceName = "copy image", DeviceName = "ios-1", Success = true }));

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=run-transfer]")));
    }
    [Fact]
    public async Task The_run_page_shows_the_runs_inputs_with_secrets_masked()
    {
        var inputs = Services.GetRequiredService<RunInputs>();
        InputField[] fields = [new() { Name = "vlan", Type = RunInputType.Number }, new() { Name = "token", Type = RunInputType.Secret }];
        var stored = inputs.Protect(fields, new System.Text.Json.Nodes.JsonObject { ["vlan"] = 42, ["token"] = "s3cr3t-value" });
        var run = new Run { ServiceName = "vlan push", Status = RunStatus.Completed, Inputs = stored };
        await SeedAsync(db => db.Runs.Add(run));

        var page = await OpenAsync(run.Id);

        page.WaitForAssertion(() => Assert.Contains("vlan = 42", page.Find("[data-testid=run-inputs]").TextContent, StringComparison.Ordinal));
        Assert.Contains("token = ******", page.Find("[data-testid=run-inputs]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-value", page.Markup, StringComparison.Ordinal);
    }
}
