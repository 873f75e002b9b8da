using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>/api/parsing-templates through the real app: invalid templates refused with their line, writes audited,
/// viewers read and try but do not write.</summary>
public sealed class ParsingTemplatesApiTests : IAsyncLifetime
{
    private const string Template = "Value Key NAME (\\S+)\nValue MTU (\\d+)\n\nStart\n  ^interface ${NAME}\n  ^ mtu ${MTU} -> Record\n";
    private readonly EnmsAppFactory _app = new();
    private HttpClient _editor = default!;
    private HttpClient _viewer = default!;

    public async Task InitializeAsync()
    {
        _editor = _app.CreateClient(await _app.CreateTokenAsync(await _app.CreateUserAsync("parsing-editor", Roles.Editor)));
        _viewer = _app.CreateClient(await _app.CreateTokenAsync(await _app.CreateUserAsync("parsing-viewer", Roles.Viewer)));
    }

    public async Task DisposeAsync()
    {
        _editor.Dispose();
        _viewer.Dispose();
        await _app.DisposeAsync();
    }

    private async Task<List<AuditEntry>> AuditAsync()
    {
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        return await db.AuditEntries.AsNoTracking().Where(e => e.TargetKind == "parsing template").OrderBy(e => e.Id).ToListAsync();
    }

    [Fact]
    public async Task An_invalid_template_is_refused_naming_its_line_and_nothing_is_stored()
    {
        var refused = await _editor.PostAsJsonAsync("/api/parsing-templates", new { name = "bad", platform = "cisco_ios", command = "show x", text = "Value A (x)\n\nStart\n  ^x -> Nowhere\n" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("line 4: State 'Nowhere' not found", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var halfFound = await _editor.PostAsJsonAsync("/api/parsing-templates", new { name = "half", platform = "cisco_ios", command = "", text = Template });
        Assert.Equal(HttpStatusCode.BadRequest, halfFound.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _viewer.PostAsJsonAsync("/api/parsing-templates", new { name = "v", text = Template })).StatusCode);
        Assert.Empty(await AuditAsync());
    }

    [Fact]
    public async Task Writes_are_audited_and_a_viewer_can_try_a_stored_template_on_a_sample()
    {
        var created = await _editor.PostAsJsonAsync("/api/parsing-templates", new { name = "mtu", platform = "cisco_ios", command = "sh[[ow]] run[[ning-config]]", text = Template });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (int)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!;
        var duplicate = await _editor.PostAsJsonAsync("/api/parsing-templates", new { name = "mtu", text = Template });
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);

        var tried = await _viewer.PostAsJsonAsync("/api/parsing-templates/test", new { text = "interface e1\n mtu 9000\ninterface e2\n mtu 1500\n", platform = "cisco_ios", command = "sh run" });
        Assert.Equal(HttpStatusCode.OK, tried.StatusCode);
        var rows = JsonNode.Parse(await tried.Content.ReadAsStringAsync())!["rows"]!.AsArray();
        Assert.Equal(["e1:9000", "e2:1500"], rows.Select(r => $"{r!["NAME"]}:{r["MTU"]}"));
        var failing = await _viewer.PostAsJsonAsync("/api/parsing-templates/test", new { text = "x", template = "Value A (x)\n\nStart\n  ^x -> Error \"no x wanted\"\n" });
        Assert.Equal(HttpStatusCode.BadRequest, failing.StatusCode);
        Assert.Contains("no x wanted", await failing.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await _editor.PutAsJsonAsync($"/api/parsing-templates/{id}", new { name = "mtu", platform = "cisco_ios", command = "show run", text = Template })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _editor.DeleteAsync($"/api/parsing-templates/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _editor.DeleteAsync($"/api/parsing-templates/{id}")).StatusCode);

        var audit = await AuditAsync();
        Assert.Equal(3, audit.Count);
        Assert.All(audit, e => Assert.Equal(("parsing-editor", "mtu"), (e.User, e.TargetName)));
    }
}
