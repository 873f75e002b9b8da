using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using eNMS.Tests.TestSupport;

namespace eNMS.Tests.Integration;

/// <summary>The app process killed (kill -9) during a run, then started again on the same data: the run must not stay
/// "Running" forever.</summary>
public sealed partial class CrashRecoveryTests
{
    private const string Password = "crash-test-admin-password";

    // Issue 17's crash leftover. A single SQLite node gets a new Quartz instance id at each start (host name and process
    // id), so Quartz deletes the killed run's job at start-up instead of re-firing it; RunRecovery used to look before
    // that (when the hosted services start) and left the run Running forever.
    [Fact]
    public async Task A_run_executing_when_the_process_is_killed_ends_after_the_restart_instead_of_staying_running()
    {
        var data = Directory.CreateTempSubdirectory("enms-crash-");
        try
        {
            int runId;
            await using (var first = new AppProcess("crash-first", "", data.FullName, Password, provider: "Sqlite"))
            {
                await first.WaitReadyAsync(TimeSpan.FromSeconds(120));
                using var http = await SignInAsync(first.BaseUrl);
                var api = new AutomationClient(http);
                var devices = await api.CreateDevicesAsync("r1", "r2");
                var wait = await api.CreateServiceAsync("long wait", "wait", new { seconds = 600 });
                runId = await api.RunAsync(wait, devices);
                await WaitForStatusAsync(http, runId, "Running", TimeSpan.FromSeconds(30));
                await first.KillAsync();
            }

            await using var second = new AppProcess("crash-second", "", data.FullName, Password, provider: "Sqlite");
            await second.WaitReadyAsync(TimeSpan.FromSeconds(120));
            using var again = await SignInAsync(second.BaseUrl);
            var run = await WaitForStatusAsync(again, runId, "Interrupted", TimeSpan.FromSeconds(30));
            Assert.Contains("not done", (string?)run["error"] ?? "", StringComparison.Ordinal);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static async Task<JsonNode> WaitForStatusAsync(HttpClient http, int runId, string status, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (true)
        {
            var run = JsonNode.Parse(await http.GetStringAsync($"/api/runs/{runId}"))!;
            if ((string?)run["status"] == status)
            {
                return run;
            }
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"run {runId} is {run["status"]}, not {status}, after {timeout.TotalSeconds} s: {run.ToJsonString()}");
            await Task.Delay(200);
        }
    }

    /// <summary>Signed in through the login form, as a browser is; unsafe calls say they come from this origin.</summary>
    private static async Task<HttpClient> SignInAsync(string baseUrl)
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(baseUrl) };
        http.DefaultRequestHeaders.Add("Origin", baseUrl);
        var form = await http.GetStringAsync("/login");
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(form).Groups[1].Value);
        var signedIn = await http.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["userName"] = "admin",
            ["password"] = Password,
        }));
        Assert.Equal("/", signedIn.Headers.Location?.ToString());
        return http;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
