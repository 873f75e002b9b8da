using Bunit;
using eNMS.Core.Inventory;
using eNMS.Web.Components.Pages.Inventory;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Tests.Web;

public sealed class ImportPageTests : WebTestContext
{
    [Fact]
    public async Task Preview_lists_every_problem_with_its_row_and_writes_nothing()
    {
        var page = Render<ImportPage>();

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(TestWorkbooks.WithBadRows(), "inventory.xlsx"));

        await page.WaitForAssertionAsync(() => Assert.Equal(2, page.FindAll("[data-testid=problem-row]").Count), TimeSpan.FromSeconds(10));
        var problems = page.FindAll("[data-testid=import-problems] tbody tr")
            .Select(r => (Row: r.QuerySelector("[data-testid=problem-row]")!.TextContent.Trim(), Column: r.QuerySelector("[data-testid=problem-column]")!.TextContent.Trim()))
            .ToList();
        Assert.Equal([("3", "port"), ("5", "name")], problems);
        Assert.Contains("65535", page.Find("[data-testid=import-problems]").TextContent, StringComparison.Ordinal);
        Assert.Equal("3", page.Find("[data-testid=counts-devices] [data-testid=created]").TextContent.Trim());
        Assert.Equal("2", page.Find("[data-testid=counts-devices] [data-testid=skipped]").TextContent.Trim());
        await using var db = await DbFactory.CreateDbContextAsync();
        Assert.Equal(0, await db.Devices.CountAsync());
    }

    [Fact]
    public async Task Commit_writes_the_valid_rows()
    {
        var page = Render<ImportPage>();
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(TestWorkbooks.WithBadRows(), "inventory.xlsx"));
        await page.WaitForElementAsync("[data-testid=commit]", TimeSpan.FromSeconds(10));

        page.Find("[data-testid=commit]").Click();

        await page.WaitForElementAsync("[data-testid=import-committed]", TimeSpan.FromSeconds(10));
        await using var db = await DbFactory.CreateDbContextAsync();
        Assert.Equal(["core-1", "core-2", "edge-1"], await db.Devices.OrderBy(d => d.Name).Select(d => d.Name).ToListAsync());
        // The importer writes the audit entry (bulk-inserted rows bypass the entity interceptor), once, for the page's user.
        Assert.Equal([("tester", "import", "inventory.xlsx")], await db.AuditEntries.Where(e => e.TargetKind == "inventory")
            .Select(e => ValueTuple.Create(e.User, e.Action, e.TargetName)).ToListAsync());
    }

    [Fact]
    public async Task A_file_that_is_not_a_spreadsheet_gets_a_message()
    {
        var page = Render<ImportPage>();

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("hello", "notes.txt"));

        await page.WaitForAssertionAsync(() => Assert.Contains("not a spreadsheet", page.Find("[data-testid=import-error]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Replace_names_the_deletions_and_commits_only_once_their_count_is_typed()
    {
        await SeedAsync(db => db.Devices.Add(new Device { Name = "old-1" }));
        var page = Render<ImportPage>();
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(TestWorkbooks.WithBadRows(), "inventory.xlsx"));
        await page.WaitForElementAsync("[data-testid=commit]");

        page.Find("input[data-testid=replace]").Change(true);

        await page.WaitForAssertionAsync(() => Assert.Equal("1", page.Find("[data-testid=counts-devices] [data-testid=deleted]").TextContent.Trim()));
        Assert.Contains("old-1", page.Find("[data-testid=deleted-devices]").TextContent, StringComparison.Ordinal);
        Assert.True(page.Find("[data-testid=commit]").HasAttribute("disabled"), "a replace that deletes waits for the typed count");
        page.Find("input[data-testid=confirm-deletions]").Input("2");
        Assert.True(page.Find("[data-testid=commit]").HasAttribute("disabled"));
        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            Assert.True(await db.Devices.AnyAsync(d => d.Name == "old-1"), "nothing is deleted before the confirmation");
        }

        page.Find("input[data-testid=confirm-deletions]").Input("1");
        page.Find("[data-testid=commit]").Click();

        await page.WaitForElementAsync("[data-testid=import-committed]");
        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            Assert.Equal(["core-1", "core-2", "edge-1"], await db.Devices.OrderBy(d => d.Name).Select(d => d.Name).ToListAsync());
        }
    }
}
