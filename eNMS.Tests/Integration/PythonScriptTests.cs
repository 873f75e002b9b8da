using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;

namespace eNMS.Tests.Integration;

/// <summary>The python_script kind with the real /usr/bin/python3 and prlimit, through the API.</summary>
public sealed class PythonScriptTests : IAsyncLifetime
{
    private const string Password = "Py-Sekr3t-Password";
    private readonly EnmsAppFactory _app = new();
    private AutomationClient _admin = null!;

    public async Task InitializeAsync()
    {
        Prerequisites.Require("python3", File.Exists("/usr/bin/python3") && File.Exists("/usr/bin/prlimit"), "install the Debian packages python3 and util-linux");
        _admin = new AutomationClient(await _app.CreateClientAsync(Roles.Admin));
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<eNMS.Core.Automation.RunResult> RunScriptAsync(string script, object? extra = null, string device = "r1", object? variables = null)
    {
        var devices = await _admin.CreateDevicesAsync(device);
        var parameters = new Dictionary<string, object> { ["script"] = script };
        foreach (var property in extra?.GetType().GetProperties() ?? [])
        {
            parameters[property.Name] = property.GetValue(extra)!;
        }
        var service = await _admin.CreateServiceAsync($"script {Guid.NewGuid():N}", "python_script", parameters);
        var run = await _admin.WaitAsync(await _admin.RunAsync(service, devices, variables), seconds: 60);
        return (await _admin.ResultsAsync(run.Id)).Single();
    }

    [Fact]
    public async Task An_editor_cannot_create_a_script_nor_import_one_but_an_admin_can()
    {
        using var editorHttp = await _app.CreateClientAsync(Roles.Editor);
        var created = await editorHttp.PostAsJsonAsync("/api/services", new { name = "evil", kind = "python_script", parameters = new { script = "print('{}')" } });
        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        Assert.Contains("Only administrators may create or change python_script services", await created.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var document = """
            {"format":"enms-workflow/1","workflow":2,"services":[
              {"id":1,"name":"evil","kind":"python_script","parameters":{"script":"print('{}')"}},
              {"id":2,"name":"wf","kind":"workflow","graph":{"start":"a","nodes":[{"id":"a","serviceId":1}],"edges":[]}}]}
            """;
        var imported = await editorHttp.PostAsync("/api/services/import", new StringContent(document, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, imported.StatusCode);
        Assert.Contains("Only administrators", await imported.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // An admin's script: an editor may not change it either (nor turn it into another kind).
        var id = await _admin.CreateServiceAsync("admin script", "python_script", new { script = "print('{}')" });
        var changed = await editorHttp.PutAsJsonAsync($"/api/services/{id}", new { name = "admin script", kind = "test_step", version = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _admin.Http.PostAsync("/api/services/import", new StringContent(document, Encoding.UTF8, "application/json"))).StatusCode);
    }

    [Fact]
    public async Task The_script_gets_the_device_and_variables_on_stdin_and_its_json_becomes_the_data()
    {
        var result = await RunScriptAsync("""
            import json, os, sys
            c = json.load(sys.stdin)
            print(json.dumps({"name": c["device"]["name"], "site": c["variables"]["site"], "changed": True,
                              "env": sorted(os.environ), "credentials": "credentials" in c}))
            """, device: "edge-1", variables: new { site = "PAR" });

        Assert.True(result.Success, result.Error);
        Assert.True(result.Changed);
        Assert.Contains("\"name\":\"edge-1\"", result.Data, StringComparison.Ordinal);
        Assert.Contains("\"site\":\"PAR\"", result.Data, StringComparison.Ordinal);
        // Nothing of the server's environment, no credentials unless granted.
        Assert.DoesNotContain("ENMS", result.Data, StringComparison.Ordinal);
        Assert.Contains("\"credentials\":false", result.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_that_is_not_json_fails_clearly_and_keeps_what_the_script_printed()
    {
        var result = await RunScriptAsync("print('hello, not json')");

        Assert.False(result.Success);
        Assert.Contains("not JSON", result.Error, StringComparison.Ordinal);
        Assert.Contains("hello, not json", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_script_reporting_failure_or_crashing_fails_with_its_reason()
    {
        var reported = await RunScriptAsync("""print('{"success": false, "error": "interface down"}')""");
        Assert.False(reported.Success);
        Assert.Equal("interface down", reported.Error);

        var crashed = await RunScriptAsync("raise ValueError('bad input')", device: "r2");
        Assert.False(crashed.Success);
        Assert.Contains("exited with code 1: ValueError: bad input", crashed.Error, StringComparison.Ordinal);
        Assert.Contains("Traceback", crashed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_script_that_hangs_is_killed_at_its_time_limit_with_its_children()
    {
        var result = await RunScriptAsync("""
            import subprocess, time
            subprocess.Popen(["/usr/bin/python3", "-c", "import time; time.sleep(600)"])
            time.sleep(600)
            """, new { timeLimitSeconds = 1 });

        Assert.False(result.Success);
        Assert.Contains("killed after its time limit of 1 s", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Process.GetProcessesByName("python3"), p => CommandLine(p).Contains("time.sleep(600)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_hanging_device_loses_nothing_of_the_others_and_a_flood_of_output_is_cut()
    {
        var devices = await _admin.CreateDevicesAsync("stuck", "fine");
        var service = await _admin.CreateServiceAsync("mixed", "python_script", new
        {
            script = "import json, sys, time\nc = json.load(sys.stdin)\nif c['device']['name'] == 'stuck':\n    time.sleep(600)\nprint(json.dumps({'ok': c['device']['name']}))",
            timeLimitSeconds = 2,
        });
        var run = await _admin.WaitAsync(await _admin.RunAsync(service, devices), seconds: 60);
        var results = (await _admin.ResultsAsync(run.Id)).ToDictionary(r => r.DeviceName);
        Assert.Equal((2, 1), (run.DevicesDone, run.DevicesFailed));
        Assert.Contains("time limit", results["stuck"].Error, StringComparison.Ordinal);
        Assert.Equal("""{"ok":"fine"}""", results["fine"].Data);

        var flood = await RunScriptAsync("import sys\nwhile True: sys.stdout.write('x' * 65536)", device: "chatty");
        Assert.False(flood.Success);
        Assert.Contains("more than 4,194,304 bytes", flood.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_script_over_its_memory_limit_fails_with_a_memory_error()
    {
        var result = await RunScriptAsync("x = bytearray(512 * 1024 * 1024)\nprint('{}')", new { memoryLimitMb = 64 });

        Assert.False(result.Success);
        Assert.Contains("MemoryError", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_reach_the_script_only_when_granted_and_never_a_result()
    {
        var credential = await AutomationClient.Read(await _admin.Http.PostAsJsonAsync("/api/credentials",
            new { name = "py", username = "netops", password = Password }), HttpStatusCode.Created);
        var device = (int)(await AutomationClient.Read(await _admin.Http.PostAsJsonAsync("/api/devices",
            new { name = "core-1", address = "10.9.9.9", platform = "cisco_ios", credentialId = (int)credential["id"]! }), HttpStatusCode.Created))["id"]!;
        const string Script = """
            import json, sys
            c = json.load(sys.stdin)
            creds = c.get("credentials") or {}
            print(json.dumps({"user": creds.get("username"), "password": creds.get("password")}))
            """;
        var withheld = await _admin.CreateServiceAsync("withheld", "python_script", new { script = Script });
        var granted = await _admin.CreateServiceAsync("granted", "python_script", new { script = Script, grantSecrets = true });

        var withheldResult = (await _admin.ResultsAsync((await _admin.WaitAsync(await _admin.RunAsync(withheld, [device]), 60)).Id)).Single();
        var grantedResult = (await _admin.ResultsAsync((await _admin.WaitAsync(await _admin.RunAsync(granted, [device]), 60)).Id)).Single();

        Assert.Contains("\"user\":null", withheldResult.Data, StringComparison.Ordinal);
        Assert.True(grantedResult.Success, grantedResult.Error);
        Assert.Contains("\"user\":\"netops\"", grantedResult.Data, StringComparison.Ordinal);
        // The script had the password (the redactor's mask stands where it printed it), the result does not.
        Assert.DoesNotContain(Password, grantedResult.Data + grantedResult.Output, StringComparison.Ordinal);
        Assert.Contains("\"password\":\"*", grantedResult.Data, StringComparison.Ordinal);
    }

    private static string CommandLine(Process process)
    {
        try
        {
            return File.ReadAllText($"/proc/{process.Id}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }
}
