using eNMS.Core.Inventory;
using eNMS.Core.Inventory.Import;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using static eNMS.Tests.TestSupport.Workbooks;

namespace eNMS.Tests.Core.Inventory;

/// <summary>Replace deletes only what the file lacks, says so by name, and commits only the preview it quotes.</summary>
public sealed class InventoryReplaceTests : IDisposable
{
    private readonly TestDatabase _db = new();
    private readonly InventoryImporter _importer;

    public InventoryReplaceTests() => _importer = new InventoryImporter(_db, new ImportCredentials(TestDatabase.Secrets), new eNMS.Core.Security.AuditLog(_db, TimeProvider.System));

    public void Dispose() => _db.Dispose();

    private Task<ImportReport> Import(Func<Stream> file, bool commit, bool replace = true, string? token = null) =>
        _importer.ImportAsync(file(), "inventory.xlsx", new ImportOptions(commit, replace, token), CancellationToken.None);

    private async Task SeedAsync()
    {
        var report = await Import(() => Xlsx(
            ("device", [Row("name", "ip_address"), Row("a", "10.0.0.1"), Row("b", "10.0.0.2"), Row("c", "10.0.0.3")]),
            ("link", [Row("name", "source_name", "destination_name"), Row("a-b", "a", "b"), Row("b-c", "b", "c")])),
            commit: true, replace: false);
        Assert.True(report.Committed);
    }

    private async Task<List<string>> Names()
    {
        await using var db = _db.CreateDbContext();
        return [.. await db.Devices.OrderBy(d => d.Name).Select(d => d.Name).ToListAsync(),
            .. await db.Links.OrderBy(l => l.Name).Select(l => l.Name).ToListAsync()];
    }

    [Fact]
    public async Task A_row_present_but_invalid_keeps_its_device()
    {
        await SeedAsync();
        // Comma decimals and a fractional port: rows that cannot be read are skipped, never taken as absent.
        var bytes = Xlsx(("device", [Row("name", "latitude", "port"), Row("a", "47,40", null), Row("b", null, "22.5"), Row("c", null, null)])).ToArray();
        Stream File() => new MemoryStream(bytes);

        var preview = await Import(File, commit: false);
        Assert.Equal(2, preview.Devices.Skipped);
        Assert.Empty(preview.Deletions.Devices);
        Assert.Empty(preview.Deletions.Links);

        var commit = await Import(File, commit: true, token: preview.ReplaceToken);
        Assert.Equal(0, commit.Devices.Deleted + commit.Links.Deleted);
        Assert.Equal(["a", "b", "c", "a-b", "b-c"], await Names());
    }

    [Fact]
    public async Task The_preview_lists_deletions_by_name_with_the_links_that_go_with_their_device()
    {
        await SeedAsync();
        var bytes = Xlsx(("device", [Row("name"), Row("a"), Row("b")])).ToArray();
        Stream File() => new MemoryStream(bytes);

        var preview = await Import(File, commit: false);

        Assert.Equal(["c"], preview.Deletions.Devices);
        Assert.Equal(["b-c"], preview.Deletions.Links);
        Assert.Equal(1, preview.Deletions.CascadedLinks);
        Assert.Equal((1, 1), (preview.Devices.Deleted, preview.Links.Deleted));
        var commit = await Import(File, commit: true, token: preview.ReplaceToken);
        Assert.Equal(["b-c"], commit.Deletions.Links);
        Assert.Equal(["a", "b", "a-b"], await Names());
    }

    [Fact]
    public async Task A_replace_commit_without_the_previews_token_is_refused_and_writes_nothing()
    {
        await SeedAsync();
        var bytes = Xlsx(("device", [Row("name"), Row("a")])).ToArray();
        Stream File() => new MemoryStream(bytes);

        var error = await Assert.ThrowsAsync<ImportConflictException>(() => Import(File, commit: true));
        Assert.Contains("token", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ImportConflictException>(() => Import(File, commit: true, token: "0123"));
        Assert.Equal(["a", "b", "c", "a-b", "b-c"], await Names());
    }

    [Fact]
    public async Task A_replace_commit_is_refused_when_the_inventory_changed_since_its_preview()
    {
        await SeedAsync();
        var bytes = Xlsx(("device", [Row("name"), Row("a"), Row("b")])).ToArray();
        Stream File() => new MemoryStream(bytes);
        var preview = await Import(File, commit: false);
        await using (var db = _db.CreateDbContext())
        {
            db.Devices.Add(new Device { Name = "added-meanwhile" });
            await db.SaveChangesAsync();
        }

        var error = await Assert.ThrowsAsync<ImportConflictException>(() => Import(File, commit: true, token: preview.ReplaceToken));

        Assert.Contains("changed since the preview", error.Message, StringComparison.Ordinal);
        Assert.Contains("added-meanwhile", await Names());
        var again = await Import(File, commit: false);
        Assert.Equal(["added-meanwhile", "c"], again.Deletions.Devices);
    }

    [Fact]
    public async Task A_different_file_does_not_match_the_token()
    {
        await SeedAsync();
        var preview = await Import(() => Xlsx(("device", [Row("name"), Row("a"), Row("b")])), commit: false);
        await Assert.ThrowsAsync<ImportConflictException>(() =>
            Import(() => Xlsx(("device", [Row("name"), Row("a")])), commit: true, token: preview.ReplaceToken));
    }
}
