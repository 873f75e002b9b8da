using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Core.Automation;

public sealed class UnrecordedRunTests
{
    [Fact]
    public async Task A_run_whose_results_the_database_refuses_ends_failed_and_says_why()
    {
        var directory = Directory.CreateTempSubdirectory("enms-unrecorded-").FullName;
        var app = new EnmsAppFactory(dataDirectory: directory);
        await using (app)
        {
            var api = new AutomationClient(await app.CreateClientAsync("admin"));
            var devices = await api.CreateDevicesAsync("r1", "r2");
            var serviceId = await api.CreateServiceAsync("step", "test_step", new { });
            // What a full disk or a dropped table looks like to the result writer: every insert fails.
            await using (var db = await app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync())
            {
                await db.Database.ExecuteSqlRawAsync("""DROP TABLE "RunResults" """);
            }

            var run = await api.WaitAsync(await api.RunAsync(serviceId, devices));

            Assert.Equal(RunStatus.Failed, run.Status);
            Assert.StartsWith("Results could not be stored: ", run.Error, StringComparison.Ordinal);
            Assert.NotNull(run.EndedAt);
        }
        Directory.Delete(directory, recursive: true);
    }
}
