using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using eNMS.Web.Operations;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace eNMS.Tests.Integration.Operations;

/// <summary>Structured logs in rolling files under the data directory, a security log apart, levels an admin changes
/// while the app runs, and no secret in a file.</summary>
public sealed partial class LogsTests : IAsyncDisposable
{
    private EnmsAppFactory _app = new();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private string LogDirectory => Path.Combine(_app.Services.GetRequiredService<DataPaths>().DataDirectory, "logs");

    /// <summary>What the files matching <paramref name="pattern"/> hold (shared: Serilog keeps them open).</summary>
    private string Read(string pattern) =>
        string.Join('\n', Directory.GetFiles(LogDirectory, pattern).Select(f =>
        {
            using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return new StreamReader(stream).ReadToEnd();
        }));

    [Fact]
    public async Task Sign_ins_role_changes_and_tokens_are_in_the_security_log_and_not_run_noise()
    {
        using var browser = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var form = await browser.GetStringAsync("/login");
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(form).Groups[1].Value);
        await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["userName"] = "admin",
            ["password"] = "not-the-password-at-all",
        }));
        using var viewer = await _app.CreateClientAsync(Roles.Viewer);

        var security = Read("security-*.json");
        Assert.Contains("\"Action\":\"sign-in failed (wrong password)\"", security, StringComparison.Ordinal);
        Assert.Contains("\"TargetKind\":\"user role\"", security, StringComparison.Ordinal);
        Assert.Contains("\"TargetKind\":\"api token\"", security, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password-at-all", security, StringComparison.Ordinal);
        // The application log has them too, and everything else; the security log nothing else.
        Assert.Contains("sign-in failed", Read("enms-*.json"), StringComparison.Ordinal);
        Assert.Contains("Quartz", Read("enms-*.json"), StringComparison.Ordinal);
        Assert.DoesNotContain("Quartz", security, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_changes_a_level_at_runtime_and_the_change_is_audited()
    {
        var probe = _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("eNMS.Probe");
        probe.LogDebug("debug line before the change");
        using var admin = await _app.CreateClientAsync(Roles.Admin);
        using var viewer = await _app.CreateClientAsync(Roles.Viewer);

        var levels = await admin.GetFromJsonAsync<List<LogLevelSetting>>("/api/admin/log-levels");
        Assert.Equal(LogLevels.Default, levels![0].Category);
        Assert.Contains(levels, l => l is { Category: "eNMS", Level: "Information" });
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PutAsJsonAsync("/api/admin/log-levels/eNMS", new { level = "Debug" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync("/api/admin/log-levels/eNMS", new { level = "Loud" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/admin/log-levels/eNMS", new { level = "Debug" })).StatusCode);

        probe.LogDebug("debug line after the change");
        var written = Read("enms-*.json");
        Assert.DoesNotContain("debug line before the change", written, StringComparison.Ordinal);
        Assert.Contains("debug line after the change", written, StringComparison.Ordinal);
        Assert.Contains(await admin.GetFromJsonAsync<List<LogLevelSetting>>("/api/admin/log-levels") ?? [], l => l is { Category: "eNMS", Level: "Debug" });
        Assert.Contains("\"Action\":\"log level change\"", Read("security-*.json"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_generated_admin_password_is_shown_on_the_console_once_and_never_written_to_a_file()
    {
        await _app.DisposeAsync();
        _app = new EnmsAppFactory { AdminPasswordSetting = "" };
        using var client = _app.CreateClient();
        var password = LoggedPassword().Match(string.Join('\n', _app.Logs.Lines)).Groups[1].Value;
        Assert.True(password.Length >= 12, string.Join('\n', _app.Logs.Lines));
        var files = Read("*.json");
        Assert.Contains("first start: created user 'admin'", files, StringComparison.Ordinal);
        Assert.DoesNotContain(password, files, StringComparison.Ordinal);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex(@"with password\s+(\S+)")]
    private static partial Regex LoggedPassword();
}
