using Bunit;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Automation.Handlers;
using eNMS.Tests.TestSupport;
using eNMS.Web.Components.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace eNMS.Tests.Web;

/// <summary>The run dialog asks for the service's declared inputs and shows the server's per-field errors.</summary>
public sealed class RunDialogInputsTests : WebTestContext
{
    public RunDialogInputsTests()
    {
        Services.AddLogging();
        Services.AddSingleton<RunNotifier>();
        Services.AddSingleton<RunDispatcher>();
        Services.AddSingleton(new ServiceHandlers([new TestStepHandler()]));
        Services.AddSingleton<RunLauncher>();
    }

    private async Task<(IRenderedComponent<MudDialogProvider> Provider, int ServiceId)> OpenAsync()
    {
        var service = new Service
        {
            Name = "with inputs",
            Kind = "test_step",
            Inputs =
            [
                new() { Name = "vlan", Label = "VLAN", Type = RunInputType.Number, Required = true },
                new() { Name = "site", Type = RunInputType.Choice, Choices = ["PAR", "LON"], Default = "PAR" },
                new() { Name = "token", Type = RunInputType.Secret },
                new() { Name = "pool", Type = RunInputType.Pool },
            ],
        };
        await SeedAsync(db => db.Services.Add(service));
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<RunDialog>("Run", new DialogParameters<RunDialog> { { d => d.ServiceId, service.Id } }));
        provider.WaitForAssertion(() => Assert.Equal(4, provider.FindAll("[data-testid=run-input]").Count));
        provider.WaitForAssertion(() => Assert.False(provider.Find("[data-testid=start-run]").HasAttribute("disabled")));
        return (provider, service.Id);
    }

    [Fact]
    public async Task A_missing_or_wrong_input_is_shown_under_its_field_and_nothing_runs()
    {
        var (provider, _) = await OpenAsync();

        await provider.InvokeAsync(() => provider.Find("[data-testid=start-run]").Click());

        provider.WaitForAssertion(() => Assert.Contains("VLAN is required.", provider.Find("[data-input=vlan]").TextContent, StringComparison.Ordinal));
        provider.Find("[data-input=vlan] input").Change("ten");
        await provider.InvokeAsync(() => provider.Find("[data-testid=start-run]").Click());
        provider.WaitForAssertion(() => Assert.Contains("'ten' is not a number.", provider.Find("[data-input=vlan]").TextContent, StringComparison.Ordinal));
        await using var db = await DbFactory.CreateDbContextAsync();
        Assert.False(await db.Runs.AnyAsync());
    }

    [Fact]
    public async Task Each_type_gets_its_field_a_secret_is_a_password_and_defaults_are_filled_in()
    {
        var (provider, _) = await OpenAsync();

        Assert.Equal("password", provider.Find("[data-input=token] input").GetAttribute("type"));
        Assert.Equal("number", provider.Find("[data-input=vlan] input").GetAttribute("type"));
        Assert.Contains("PAR", provider.Find("[data-input=site]").InnerHtml, StringComparison.Ordinal);
        Assert.Contains("VLAN *", provider.Find("[data-input=vlan]").TextContent, StringComparison.Ordinal);
    }
}
