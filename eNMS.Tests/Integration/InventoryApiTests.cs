using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using eNMS.Tests.TestSupport;
using static eNMS.Tests.TestSupport.Workbooks;

namespace eNMS.Tests.Integration;

/// <summary>The REST API end to end through the real app; run once on SQLite and once on PostgreSQL.</summary>
public abstract class InventoryApiTests : IAsyncLifetime
{
    private EnmsAppFactory _app = null!;
    private HttpClient _client = null!;

    protected abstract EnmsAppFactory CreateApp();

    public async Task InitializeAsync()
    {
        _app = CreateApp();
        _client = await _app.CreateClientAsync(eNMS.Core.Security.Roles.Editor);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    private static async Task<JsonNode> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.StatusCode} instead of {expected}: {body}");
        return JsonNode.Parse(body.Length == 0 ? "null" : body) ?? new JsonObject();
    }

    private async Task<int> CreateDevice(string name, string platform = "cisco_ios") =>
        (int)(await Json(await _client.PostAsJsonAsync("/api/devices", new { name, address = "192.0.2.1", platform }), HttpStatusCode.Created))["id"]!;

    [Fact]
    public async Task Devices_can_be_created_read_updated_filtered_and_deleted()
    {
        var id = await CreateDevice("paris-core");
        await CreateDevice("london-core", "juniper_junos");

        var device = await Json(await _client.GetAsync($"/api/devices/{id}"), HttpStatusCode.OK);
        Assert.Equal("paris-core", (string?)device["name"]);

        var update = new { name = "paris-core", address = "192.0.2.99", port = 830, platform = "cisco_ios", latitude = 48.85, longitude = 2.35 };
        var updated = await Json(await _client.PutAsJsonAsync($"/api/devices/{id}", update), HttpStatusCode.OK);
        Assert.Equal(830, (int)updated["port"]!);

        var page = await Json(await _client.GetAsync("/api/devices?filter.platform=/^juniper/&sortBy=name"), HttpStatusCode.OK);
        Assert.Equal(1, (int)page["total"]!);
        Assert.Equal("london-core", (string?)page["items"]![0]!["name"]);

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/api/devices/{id}")).StatusCode);
        await Json(await _client.GetAsync($"/api/devices/{id}"), HttpStatusCode.NotFound);
    }

    /// <summary>Issue 17: a user's regex is bounded on either database. PostgreSQL runs grid regexes in its own engine,
    /// which backtracks on backreferences (this pattern over 80 characters held it 9 s; over 120 it would take minutes):
    /// the statement timeout ends it, and a regex filter that does not go wrong still answers on both.</summary>
    [Fact]
    public async Task A_catastrophic_regex_filter_answers_400_promptly_and_a_sane_one_still_filters()
    {
        var squareless = new string('e', 120) + "f";
        await CreateDevice(squareless);
        var problem = await Json(await _client.GetAsync("/api/devices?filter.name=" + Uri.EscapeDataString(@"/^(.*)(.*)(.*)(.*)(.*)\1\2\3\4\5$/")),
            HttpStatusCode.BadRequest);
        // The title says the database's statement timeout ended it, not a client giving up.
        Assert.Equal("Regular expression timed out", (string?)problem["title"]);

        var page = await Json(await _client.GetAsync("/api/devices?filter.name=" + Uri.EscapeDataString("/^e+f$/")), HttpStatusCode.OK);
        Assert.Equal(1, (int)page["total"]!);
    }

    [Fact]
    public async Task Invalid_devices_get_RFC_7807_problems_per_field()
    {
        await CreateDevice("paris-core");
        var response = await _client.PostAsJsonAsync("/api/devices", new { name = "paris-core", port = 0, latitude = 123.0 });
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await Json(response, HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.Contains("name", errors.Select(e => e.Key));
        Assert.Contains("port", errors.Select(e => e.Key));
        Assert.Contains("latitude", errors.Select(e => e.Key));

        var badFilter = await Json(await _client.GetAsync("/api/devices?filter.name=/([a-z/"), HttpStatusCode.BadRequest);
        Assert.Contains("regular expression", (string?)badFilter["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credential_secrets_are_write_only()
    {
        var created = await Json(await _client.PostAsJsonAsync("/api/credentials",
            new { name = "lab", username = "admin", password = "hunter2-secret", enableSecret = "enable-secret-9" }), HttpStatusCode.Created);
        var id = (int)created["id"]!;
        Assert.True((bool)created["hasPassword"]!);

        // An update that leaves the password empty keeps it.
        var kept = await Json(await _client.PutAsJsonAsync($"/api/credentials/{id}", new { name = "lab", username = "ops" }), HttpStatusCode.OK);
        Assert.True((bool)kept["hasPassword"]!);
        Assert.Equal("ops", (string?)kept["username"]);

        var everything = await _client.GetStringAsync("/api/credentials") + await _client.GetStringAsync($"/api/credentials/{id}");
        Assert.DoesNotContain("hunter2-secret", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("enable-secret-9", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("protected", everything, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Pools_recompute_their_members_when_devices_change()
    {
        var pool = await Json(await _client.PostAsJsonAsync("/api/pools", new
        {
            name = "ios",
            mode = "Dynamic",
            criteria = new[] { new { target = "Device", property = "platform", @operator = "Equals", value = "cisco_ios", invert = false } },
        }), HttpStatusCode.Created);
        var poolId = (int)pool["id"]!;
        var id = await CreateDevice("r1", "cisco_ios");
        Assert.Equal([id], (await Json(await _client.GetAsync($"/api/pools/{poolId}"), HttpStatusCode.OK))["deviceIds"]!.AsArray().Select(n => (int)n!));

        await _client.PutAsJsonAsync($"/api/devices/{id}", new { name = "r1", platform = "arista_eos" });
        Assert.Empty((await Json(await _client.GetAsync($"/api/pools/{poolId}"), HttpStatusCode.OK))["deviceIds"]!.AsArray());
    }

    [Fact]
    public async Task Import_previews_then_commits_and_export_round_trips()
    {
        var workbook = Xlsx(
            ("device", [Row("name", "ip_address", "port", "latitude"), Row("r1", "10.0.0.1", "22.0", 48.8), Row("r2", "10.0.0.2", 22.0, "38,.,89511"), Row("r3", "10.0.0.3", 22.0, null)]),
            ("link", [Row("name", "source_name", "destination_name"), Row("r1-r3", "r1", "r3"), Row("r1-x", "r1", "x")]));
        var bytes = workbook.ToArray();

        var preview = await Json(await _client.PostAsync("/api/inventory/import", Upload(bytes, "inventory.xlsx")), HttpStatusCode.OK);
        Assert.False((bool)preview["committed"]!);
        Assert.Equal(2, (int)preview["devices"]!["created"]!);
        Assert.Equal(2, preview["problems"]!.AsArray().Count);
        Assert.Equal(0, (int)(await Json(await _client.GetAsync("/api/devices"), HttpStatusCode.OK))["total"]!);

        var commit = await Json(await _client.PostAsync("/api/inventory/import?commit=true", Upload(bytes, "inventory.xlsx")), HttpStatusCode.OK);
        Assert.True((bool)commit["committed"]!);
        Assert.Equal(2, (int)(await Json(await _client.GetAsync("/api/devices"), HttpStatusCode.OK))["total"]!);

        var export = await _client.GetAsync("/api/inventory/export");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var again = await Json(await _client.PostAsync("/api/inventory/import", Upload(await export.Content.ReadAsByteArrayAsync(), "enms-inventory.xlsx")), HttpStatusCode.OK);
        Assert.Equal(2, (int)again["devices"]!["unchanged"]!);
        Assert.Equal(1, (int)again["links"]!["unchanged"]!);
        Assert.Empty(again["problems"]!.AsArray());
    }

    [Fact]
    public async Task An_unreadable_upload_is_a_problem_naming_the_file()
    {
        var problem = await Json(await _client.PostAsync("/api/inventory/import", Upload("garbage"u8.ToArray(), "devices.xlsx")), HttpStatusCode.BadRequest);
        Assert.Contains("devices.xlsx", (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_the_inventory_endpoints()
    {
        var document = JsonDocument.Parse(await _client.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/devices", paths);
        Assert.Contains("/api/credentials/{id}", paths);
        Assert.Contains("/api/inventory/import", paths);
    }

    private static MultipartFormDataContent Upload(byte[] bytes, string fileName)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return new MultipartFormDataContent { { file, "file", fileName } };
    }
}

public sealed class InventoryApiOnSqliteTests : InventoryApiTests
{
    protected override EnmsAppFactory CreateApp() => new();
}

[Collection(PostgresTests.Name)]
public sealed class InventoryApiOnPostgresTests(PostgresServer postgres) : InventoryApiTests
{
    protected override EnmsAppFactory CreateApp() => new(postgres.NewDatabase());
}
