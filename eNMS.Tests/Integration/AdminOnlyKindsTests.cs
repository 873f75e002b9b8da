using System.Net;
using System.Net.Http.Json;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;

namespace eNMS.Tests.Integration;

/// <summary>Automation:AdminOnlyKinds decides which service kinds only admins write: the configured list replaces the
/// default (python_script), for creating and for changing.</summary>
public sealed class AdminOnlyKindsTests : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new()
    {
        Settings = new Dictionary<string, string> { ["Automation:AdminOnlyKinds:0"] = "rest_call", ["Automation:AdminOnlyKinds:1"] = "wait" },
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Configured_kinds_are_admin_only_and_the_default_kind_no_longer_is()
    {
        using var editor = await _app.CreateClientAsync(Roles.Editor);
        using var admin = await _app.CreateClientAsync(Roles.Admin);
        var refused = await editor.PostAsJsonAsync("/api/services", new { name = "call", kind = "rest_call", parameters = new { url = "http://192.0.2.1/" } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Only administrators may create or change rest_call services", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var wait = await new AutomationClient(admin).CreateServiceAsync("pause", "wait", new { seconds = 0 }, new { targetMode = "Once" });
        var body = await AutomationClient.Read(await editor.GetAsync($"/api/services/{wait}"), HttpStatusCode.OK);
        body["description"] = "changed by an editor";
        Assert.Equal(HttpStatusCode.BadRequest, (await editor.PutAsJsonAsync($"/api/services/{wait}", body)).StatusCode);

        var script = await editor.PostAsJsonAsync("/api/services", new { name = "script", kind = "python_script", parameters = new { script = "print('{}')" } });
        Assert.Equal(HttpStatusCode.Created, script.StatusCode);
    }
}
