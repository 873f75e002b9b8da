using Bunit;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Automation.Handlers;
using eNMS.Tests.TestSupport;
using eNMS.Web.Components.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Quartz;

namespace eNMS.Tests.Web;

/// <summary>The run dialog's staged rollout fields: off by default, refused with the stage named, stored on the run.</summary>
public sealed class RunDialogRolloutTests : WebTestContext
{
    public RunDialogRolloutTests()
    {
        Services.AddLogging();
        Services.AddSingleton<RunNotifier>();
        // Quartz without its hosted service: the run started stays pending, which is all these tests need.
        Services.AddQuartz();
        Services.AddSingleton<RunDispatcher>();
        Services.AddSingleton(new ServiceHandlers([new TestStepHandler()]));
        Services.AddSingleton<RunLauncher>();
    }

    private async Task<IRenderedComponent<MudDialogProvider>> OpenAsync()
    {
        var service = new Service { Name = "step", Kind = "test_step" };
        await SeedAsync(db => db.Services.Add(service));
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<RunDialog>("Run", new DialogParameters<RunDialog> { { d => d.ServiceId, service.Id } }));
        provider.WaitForAssertion(() => Assert.False(provider.Find("[data-testid=start-run]").HasAttribute("disabled")));
        Assert.Empty(provider.FindAll("[data-testid=rollout-stages]"));
        provider.Find("[data-testid=rollout-enabled] input, input[data-testid=rollout-enabled]").Change(true);
        provider.WaitForAssertion(() => Assert.NotEmpty(provider.FindAll("[data-testid=rollout-stages]")));
        return provider;
    }

    private static void Type(IRenderedComponent<MudDialogProvider> provider, string field, string value) =>
        provider.Find($"[data-testid={field}] input, input[data-testid={field}]").Change(value);

    [Fact]
    public async Task A_stage_over_100_percent_is_refused_with_the_stage_named_and_nothing_runs()
    {
        var provider = await OpenAsync();
        Type(provider, "rollout-stages", "1, 150%");

        await provider.InvokeAsync(() => provider.Find("[data-testid=start-run]").Click());

        provider.WaitForAssertion(() => Assert.Contains("stage 2: '150%' is over 100%", provider.Find("[data-testid=run-problem]").TextContent, StringComparison.Ordinal));
        await using var db = await DbFactory.CreateDbContextAsync();
        Assert.False(await db.Runs.AnyAsync());
    }

    [Fact]
    public async Task The_rollout_given_in_the_dialog_is_stored_on_the_run()
    {
        var provider = await OpenAsync();
        Type(provider, "rollout-stages", "2, 50%");
        Type(provider, "rollout-failure-limit", "10%");
        Type(provider, "rollout-wait", "30");
        provider.Find("[data-testid=rollout-approval] input, input[data-testid=rollout-approval]").Change(true);

        await provider.InvokeAsync(() => provider.Find("[data-testid=start-run]").Click());

        await using var db = await DbFactory.CreateDbContextAsync();
        var run = await db.Runs.AsNoTracking().SingleAsync();
        Assert.Equal(new RolloutPlan { Stages = "2, 50%", FailureLimit = "10%", WaitSeconds = 30, Approval = true }, run.Rollout);
    }
}
