using System.Text;
using System.Text.Json;
using eNMS.Tests.TestSupport;
using Microsoft.Playwright;

namespace eNMS.Tests.EndToEnd;

/// <summary>Issue 17, cross-site requests, in Chromium as the attack was reproduced: a page served from another port of
/// the same host is the same <em>site</em>, so SameSite=Strict lets the sign-in cookie ride along on its requests.</summary>
[Collection(Browser.Collection)]
public sealed class CrossSiteRequestTests
{
    private const string PlantedDevice = "planted-by-another-site";
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    [ChromiumFact]
    public async Task A_page_on_another_port_cannot_act_as_the_signed_in_user_while_the_apps_own_pages_still_can()
    {
        Assert.True(File.Exists(ChromiumFactAttribute.ChromiumPath),
            $"Debian chromium is required at {ChromiumFactAttribute.ChromiumPath} (apt-get install chromium), or set ENMS_TEST_SKIP=chromium to skip.");
        await using var app = new AppServer();
        app.StartServer();
        await using var browser = await BrowserSession.LaunchAsync();
        var page = await browser.NewPageAsync(app);

        await Browser.StepsAsync(page, "cross-site", async () =>
        {
            await Browser.SignInAtAsync(page, "/");
            // The app's own page creates what the other site will go after: a paused schedule. Its POSTs pass the guard.
            var service = await ApiAsync(page, "POST", "/api/services", new { name = "pause", kind = "wait", parameters = new { seconds = 0 } });
            Assert.Equal(201, service.Status);
            var device = await ApiAsync(page, "POST", "/api/devices", new { name = "r1", address = "192.0.2.1", platform = "linux" });
            Assert.Equal(201, device.Status);
            var schedule = await ApiAsync(page, "POST", "/api/schedules", new
            {
                name = "hourly",
                serviceId = service.Body.GetProperty("id").GetInt32(),
                kind = "Interval",
                every = 1,
                unit = "Hours",
                deviceIds = new[] { device.Body.GetProperty("id").GetInt32() },
                paused = true,
            });
            Assert.Equal(201, schedule.Status);
            var scheduleId = schedule.Body.GetProperty("id").GetInt32();
            Assert.Equal("paused", schedule.Body.GetProperty("state").GetString());

            // The other site, on another loopback port: no-cors requests (no preflight, the reply unreadable, but the
            // request itself reaches the app with the cookie), and a WebSocket to the Blazor hub.
            var appPort = new Uri(app.BaseUrl).Port;
            await using var otherSite = await LoopbackHttp.StartAsync(async response =>
            {
                response.ContentType = "text/html; charset=utf-8";
                var html = Encoding.UTF8.GetBytes(AttackPage(appPort, scheduleId));
                await response.OutputStream.WriteAsync(html);
            });
            var seen = new List<(string Url, int Status)>();
            page.Response += (_, response) =>
            {
                if (response.Url.StartsWith(app.BaseUrl, StringComparison.Ordinal))
                {
                    lock (seen)
                    {
                        seen.Add((response.Url, response.Status));
                    }
                }
            };
            await page.GotoAsync(otherSite.Url.ToString());
            var attack = await page.EvaluateAsync<JsonElement>("window.attack");
            Assert.Equal("refused", attack.GetProperty("socket").GetString());
            lock (seen)
            {
                Assert.Contains(seen, r => r.Url.Contains($"/api/schedules/{scheduleId}/resume", StringComparison.Ordinal) && r.Status == 403);
                Assert.Contains(seen, r => r.Url.Contains("/api/inventory/import", StringComparison.Ordinal) && r.Status == 403);
                Assert.DoesNotContain(seen, r => r.Status is >= 200 and < 300);
            }

            // Nothing changed, and the app's own pages still act: a POST, a WebSocket, an interactive page.
            await page.GotoAsync("/devices");
            await Assertions.Expect(page.GetByTestId("interactive")).ToBeAttachedAsync(new() { Timeout = 60_000 });
            var after = await ApiAsync(page, "GET", $"/api/schedules/{scheduleId}", null);
            Assert.Equal("paused", after.Body.GetProperty("state").GetString());
            var planted = await ApiAsync(page, "GET", $"/api/devices?filter.name=={PlantedDevice}", null);
            Assert.Equal(0, planted.Body.GetProperty("total").GetInt32());
            var resumed = await ApiAsync(page, "POST", $"/api/schedules/{scheduleId}/resume", null);
            Assert.Equal(200, resumed.Status);
            Assert.Equal("active", resumed.Body.GetProperty("state").GetString());
            Assert.Equal("open", await page.EvaluateAsync<string>("""
                () => new Promise(resolve => {
                    const socket = new WebSocket(location.origin.replace(/^http/, "ws") + "/_blazor");
                    socket.onopen = () => { resolve("open"); socket.close(); };
                    socket.onerror = () => resolve("refused");
                })
                """));
        });
    }

    /// <summary>A fetch from the app's page (same origin), as its own scripts make them.</summary>
    private static async Task<(int Status, JsonElement Body)> ApiAsync(IPage page, string method, string path, object? body)
    {
        var reply = await page.EvaluateAsync<JsonElement>("""
            async ([method, path, body]) => {
                const init = { method, headers: { Accept: "application/json" } };
                if (body !== null) { init.body = body; init.headers["Content-Type"] = "application/json"; }
                const response = await fetch(path, init);
                const text = await response.text();
                return { status: response.status, body: text.length > 0 && text.trimStart().startsWith("{") ? JSON.parse(text) : null };
            }
            """, new object?[] { method, path, body is null ? null : JsonSerializer.Serialize(body, WebJson) });
        return (reply.GetProperty("status").GetInt32(), reply.GetProperty("body"));
    }

    private static string AttackPage(int appPort, int scheduleId) => $$"""
        <!doctype html>
        <html><head><title>another site</title></head><body>
        <script>
        const app = "http://127.0.0.1:{{appPort}}";
        window.attack = (async () => {
            try { await fetch(app + "/api/schedules/{{scheduleId}}/resume", { method: "POST", mode: "no-cors", credentials: "include" }); } catch (e) { }
            const form = new FormData();
            form.append("file", new Blob(["name,address,platform\n{{PlantedDevice}},192.0.2.77,linux\n"], { type: "text/csv" }), "devices.csv");
            try { await fetch(app + "/api/inventory/import?commit=true", { method: "POST", mode: "no-cors", credentials: "include", body: form }); } catch (e) { }
            const socket = await new Promise(resolve => {
                const ws = new WebSocket("ws://127.0.0.1:{{appPort}}/_blazor");
                ws.onopen = () => { resolve("open"); ws.close(); };
                ws.onerror = () => resolve("refused");
            });
            return { socket };
        })();
        </script>
        </body></html>
        """;
}
