using Bunit;
using eNMS.Core.Data;
using eNMS.Web.Components.Pages.Admin;
using eNMS.Web.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace eNMS.Tests.Web;

/// <summary>The operations page: an admin changes a log level (applied to the switch Serilog reads, audited) and takes
/// a backup that is then listed for download.</summary>
public sealed class OperationsPageTests : WebTestContext
{
    private readonly string _data = Directory.CreateTempSubdirectory("enms-ops-page-").FullName;
    private readonly LogLevels _levels = new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
    }).Build());

    public OperationsPageTests()
    {
        Services.AddSingleton(_levels);
        Services.AddSingleton(new DataPaths(_data, Path.Combine(_data, "keys")));
        Services.AddSingleton(new DatabaseOptions());
        Services.AddSingleton<InstanceBackup>();
        Services.AddSingleton<OperationsActions>();
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task An_admin_changes_a_level_and_takes_a_backup_both_audited()
    {
        var page = Render<OperationsPage>();
        Assert.Equal(["Default", "eNMS", "Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "Quartz"],
            page.FindAll("[data-testid=log-category]").Select(c => c.TextContent));

        // One select per row, in the order of the categories above.
        var select = page.FindComponents<MudSelect<string>>()[2];
        await page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync("Debug"));
        Assert.Equal(Serilog.Events.LogEventLevel.Debug, _levels.Overrides.Single(o => o.Key == "Microsoft.AspNetCore").Value.MinimumLevel);

        Assert.Contains("No backup", page.Find("[data-testid=backups]").TextContent, StringComparison.Ordinal);
        await page.InvokeAsync(() => page.Find("button[data-testid=backup-now]").Click());
        page.WaitForAssertion(() => Assert.StartsWith("enms-backup-", page.Find("[data-testid=backup-name]").TextContent, StringComparison.Ordinal));
        Assert.Single(Directory.GetFiles(Path.Combine(_data, "backups"), "*.zip"));

        await using var db = await DbFactory.CreateDbContextAsync();
        var entries = await db.AuditEntries.OrderBy(e => e.Id).Select(e => new { e.User, e.Action, e.TargetName, e.After }).ToListAsync();
        Assert.Equal(("tester", "log level change", "Microsoft.AspNetCore", "Warning -> Debug"), (entries[0].User, entries[0].Action, entries[0].TargetName, entries[0].After));
        Assert.Equal(("tester", "backup"), (entries[1].User, entries[1].Action));
    }
}
