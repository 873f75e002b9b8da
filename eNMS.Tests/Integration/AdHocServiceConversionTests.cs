using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>Ad-hoc services were once told by a name prefix; a start flags those so the catalogue keeps them out.</summary>
public sealed class AdHocServiceConversionTests : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_start_flags_services_named_with_the_old_prefix_and_leaves_the_others()
    {
        var factory = _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.Services.AddRange(
                new Service { Name = ServiceCatalogue.LegacyAdHocPrefix + "config_rollback device #1 version #3", Kind = "config_rollback" },
                new Service { Name = "show version", Kind = "cli_commands" });
            await db.SaveChangesAsync();
        }

        await _app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(CancellationToken.None);

        await using var check = await factory.CreateDbContextAsync();
        Assert.Equal(["show version"], await check.Services.Catalogue().Select(s => s.Name).ToListAsync());
        Assert.True(await check.Services.Where(s => s.Name.StartsWith(ServiceCatalogue.LegacyAdHocPrefix)).AllAsync(s => s.IsAdHoc));
    }
}
