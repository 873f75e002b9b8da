using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using eNMS.Tests.TestSupport;
using static eNMS.Tests.TestSupport.Workbooks;

namespace eNMS.Tests.Integration;

/// <summary>The import endpoint's guards: a replace commits only the preview it quotes; one documented size limit.</summary>
public sealed class InventoryImportApiTests : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new() { Settings = new Dictionary<string, string> { ["Import:MaxFileMegabytes"] = "1" } };
    private HttpClient _client = null!;

    public async Task InitializeAsync() => _client = await _app.CreateClientAsync(eNMS.Core.Security.Roles.Editor);

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> Post(string query, byte[] bytes, string fileName = "inventory.xlsx")
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var form = new MultipartFormDataContent { { file, "file", fileName } };
        var response = await _client.PostAsync("/api/inventory/import" + query, form);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(body.Length == 0 ? "null" : body) ?? new JsonObject());
    }

    [Fact]
    public async Task A_replace_commit_must_quote_the_previews_token()
    {
        var seed = Xlsx(("device", [Row("name"), Row("a"), Row("b")])).ToArray();
        Assert.Equal(HttpStatusCode.OK, (await Post("?commit=true", seed)).Status);
        var replace = Xlsx(("device", [Row("name"), Row("a")])).ToArray();

        var blind = await Post("?commit=true&replace=true", replace);
        Assert.Equal(HttpStatusCode.Conflict, blind.Status);
        Assert.Contains("token", (string?)blind.Body["detail"], StringComparison.Ordinal);

        var preview = await Post("?replace=true", replace);
        Assert.Equal(["b"], preview.Body["deletions"]!["devices"]!.AsArray().Select(n => (string?)n));
        var token = (string)preview.Body["replaceToken"]!;
        var commit = await Post($"?commit=true&replace=true&token={token}", replace);
        Assert.Equal(HttpStatusCode.OK, commit.Status);
        Assert.Equal(1, (int)commit.Body["devices"]!["deleted"]!);

        var stale = await Post($"?commit=true&replace=true&token={token}", replace);
        Assert.Equal(HttpStatusCode.Conflict, stale.Status);
    }

    [Fact]
    public async Task A_file_over_the_limit_is_a_413_naming_the_setting()
    {
        var big = new byte[2 * 1024 * 1024 + 10];
        var (status, body) = await Post("", big, "big.csv");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("Import:MaxFileMegabytes", (string?)body["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_just_under_the_limit_is_read()
    {
        var description = new string('d', 300);
        var bytes = System.Text.Encoding.UTF8.GetBytes("name,description\n" + string.Concat(Enumerable.Range(0, 2000).Select(i => $"r{i},{description}\n")));
        Assert.True(bytes.Length is > 512 * 1024 and < 1024 * 1024);
        var (status, body) = await Post("", bytes, "devices.csv");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2000, (int)body["devices"]!["created"]!);
    }
}
