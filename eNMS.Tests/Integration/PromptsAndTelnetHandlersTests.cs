using System.Net;
using System.Net.Http.Json;
using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Core.Terminal;
using eNMS.Tests.TestSupport;
using eNMS.Tests.TestSupport.Lab;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>Reaching every device through the API and the engine: <c>cli_commands</c> with prompts and answers on lab
/// devices reached over Telnet (a device whose transport is telnet and whose port was left out is dialled on 23), a
/// router reached only through its gateway, and the web terminal over Telnet through that gateway.</summary>
[Collection(LabGroup.Name)]
public sealed class PromptsAndTelnetHandlersTests(LabFixture lab) : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new();
    private AutomationClient _api = null!;

    public async Task InitializeAsync() => _api = new AutomationClient(await _app.CreateClientAsync("admin"));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<int> TelnetDeviceAsync(DeviceTargetLike target) => await DeviceAsync(target, "telnet");

    private async Task<int> DeviceAsync(DeviceTargetLike target, string transport, params int[] gatewayIds)
    {
        var credential = await AutomationClient.Read(await _api.Http.PostAsJsonAsync("/api/credentials", new
        {
            name = $"cred-{target.Name}",
            username = target.Username,
            password = target.Password,
            enableSecret = target.EnableSecret,
        }), HttpStatusCode.Created);
        var created = await AutomationClient.Read(await _api.Http.PostAsJsonAsync("/api/devices", new
        {
            name = target.Name,
            address = target.Host,
            platform = target.Platform,
            transport,
            credentialId = (int)credential["id"]!,
            gatewayIds,
        }), HttpStatusCode.Created);
        var device = await AutomationClient.Read(await _api.Http.GetAsync($"/api/devices/{(int)created["id"]!}"), HttpStatusCode.OK);
        Assert.Equal((transport, transport == "telnet" ? 23 : 22), ((string)device["transport"]!, (int)device["port"]!));
        Assert.Equal(gatewayIds, device["gatewayIds"]!.AsArray().Select(n => (int)n!).ToArray());
        return (int)created["id"]!;
    }

    [LabFact]
    public async Task A_router_behind_a_gateway_is_reached_by_services_and_the_web_terminal()
    {
        lab.RequireLab();
        var gateway = await DeviceAsync(DeviceTargetLike.From(LabFixture.LinuxHost(1)), "ssh");
        var router = await DeviceAsync(DeviceTargetLike.From(LabFixture.RouterBehindGateway()), "ssh", gateway);
        var routerOverTelnet = await DeviceAsync(DeviceTargetLike.From(LabFixture.RouterBehindGateway() with { Name = "r0-telnet" }), "telnet", gateway);
        var version = await _api.CreateServiceAsync("version", "cli_commands", new { commands = "show version" });

        var overSsh = await RunAsync(version, router);
        var overTelnet = await RunAsync(version, routerOverTelnet);

        var expected = (await lab.VtyshAsync(0, "show version")).Trim();
        Assert.True(overSsh.Success, overSsh.Error);
        Assert.Equal(expected, overSsh.Output.Trim());
        Assert.True(overTelnet.Success, overTelnet.Error);
        Assert.Equal(expected, overTelnet.Output.Trim());
        var terminals = _app.Services.GetRequiredService<WebTerminals>();
        var seen = new System.Text.StringBuilder();
        var prompt = new TaskCompletionSource();
        await using (var terminal = await terminals.OpenAsync(routerOverTelnet, new AuditActor("admin", null) { IsAdmin = true }, null, 100, 30, chunk =>
        {
            lock (seen)
            {
                seen.Append(chunk);
                if (seen.ToString().Contains("r0# ", StringComparison.Ordinal) && seen.ToString().Contains("FRRouting 8", StringComparison.Ordinal))
                {
                    prompt.TrySetResult();
                }
            }
            return Task.CompletedTask;
        }, CancellationToken.None))
        {
            await terminal.SendAsync("show version\r", CancellationToken.None);
            await prompt.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        var session = await db.TerminalSessions.SingleAsync();
        Assert.Contains("FRRouting 8", session.Transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(LabFixture.Password, session.Transcript, StringComparison.Ordinal);
    }

    private async Task<RunResult> RunAsync(int serviceId, int device)
    {
        var run = await _api.WaitAsync(await _api.RunAsync(serviceId, [device]), seconds: 60);
        return Assert.Single(await _api.ResultsAsync(run.Id));
    }

    [LabFact]
    public async Task Cli_commands_answers_the_questions_it_was_given_and_fails_quoting_one_it_was_not()
    {
        lab.RequireLab();
        var ios = await TelnetDeviceAsync(DeviceTargetLike.From(lab.Emulated("cisco_ios")));
        var router = await TelnetDeviceAsync(DeviceTargetLike.From(LabFixture.Router(1)));
        var answered = await _api.CreateServiceAsync("reload later", "cli_commands", new
        {
            commands = "reload in {{ variables.minutes | default: 7 }}\nshow reload\nreload cancel",
            prompts = new[] { new { command = "reload in", prompt = @"Proceed with reload\? \[confirm\]", answer = "" } },
        });
        var unanswered = await _api.CreateServiceAsync("reload forgotten", "cli_commands", new { commands = "reload in 7" });
        var version = await _api.CreateServiceAsync("version", "cli_commands", new { commands = "show version" });

        var ok = await RunAsync(answered, ios);
        var failed = await RunAsync(unanswered, ios);
        var frr = await RunAsync(version, router);

        Assert.True(ok.Success, ok.Error);
        Assert.Contains("Reload scheduled in 7 minutes by enmslab", ok.Output, StringComparison.Ordinal);
        Assert.Contains("SHUTDOWN ABORTED", ok.Output, StringComparison.Ordinal);
        Assert.False(failed.Success);
        Assert.Contains("'reload in 7' stopped at a question nobody answered: 'Proceed with reload? [confirm]'", failed.Error, StringComparison.Ordinal);
        Assert.True(frr.Success, frr.Error);
        Assert.Equal((await lab.VtyshAsync(1, "show version")).Trim(), frr.Output.Trim());
    }

    [LabFact]
    public async Task A_prompt_whose_pattern_is_not_a_regular_expression_is_refused_when_saved()
    {
        var response = await _api.Http.PostAsJsonAsync("/api/services", new
        {
            name = "bad prompt",
            kind = "cli_commands",
            parameters = new { commands = "reload", prompts = new[] { new { command = "reload", prompt = "Proceed with reload? [confirm", answer = "" } } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Prompt 1's pattern cannot be used", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [LabFact]
    public async Task A_session_ending_is_a_success_only_after_the_question_that_ends_it_and_only_for_the_last_command()
    {
        lab.RequireLab();
        var reloadPrompt = new { command = "", prompt = @"Proceed with reload\? \[confirm\]", answer = "", endsSession = true };
        var reloaded = await DeviceAsync(DeviceTargetLike.From(lab.Emulated("cisco_ios")), "ssh");
        var reloadedEarly = await DeviceAsync(DeviceTargetLike.From(lab.Emulated("cisco_ios")), "ssh");
        var droppedTarget = lab.Emulated("cisco_ios");
        await lab.SetFaultAsync(droppedTarget, "drop");
        var dropped = await DeviceAsync(DeviceTargetLike.From(droppedTarget), "ssh");
        var reload = await _api.CreateServiceAsync("reload now", "cli_commands", new { commands = "reload", prompts = new[] { reloadPrompt } });
        var reloadThenMore = await _api.CreateServiceAsync("reload then more", "cli_commands", new { commands = "reload\nshow version", prompts = new[] { reloadPrompt } });
        var version = await _api.CreateServiceAsync("version with a reload prompt", "cli_commands", new { commands = "show version", prompts = new[] { reloadPrompt } });

        var ok = await RunAsync(reload, reloaded);
        var early = await RunAsync(reloadThenMore, reloadedEarly);
        var lost = await RunAsync(version, dropped);

        Assert.True(ok.Success, ok.Error);
        Assert.Contains("Reload requested", ok.Output, StringComparison.Ordinal);
        Assert.False(early.Success);
        Assert.EndsWith("the session ended after 'reload' as expected, so the 1 command(s) after it did not run: put it last", early.Error, StringComparison.Ordinal);
        // The connection went without the question being asked: a failure like any other.
        Assert.False(lost.Success);
        Assert.Contains("connection", lost.Error, StringComparison.OrdinalIgnoreCase);
    }
}
