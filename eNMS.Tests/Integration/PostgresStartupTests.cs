using eNMS.Tests.TestSupport;

namespace eNMS.Tests.Integration;

/// <summary>A PostgreSQL start, first on an empty database then again on the migrated one, logs no error: an operator
/// reading "fail:" at startup would look for a problem that is not there (EF probing a history table that does not
/// exist yet).</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresStartupTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_postgres_start_on_an_empty_database_and_a_restart_log_no_error()
    {
        var database = postgres.NewDatabase();
        foreach (var start in new[] { "first start", "restart" })
        {
            await using var app = new EnmsAppFactory(database);
            using var client = app.CreateClient();
            Assert.True((await client.GetAsync("/account/login")).IsSuccessStatusCode, start);

            var failures = app.Logs.Lines.Where(l => l.StartsWith("Error ", StringComparison.Ordinal) || l.StartsWith("Critical ", StringComparison.Ordinal)).ToList();
            Assert.True(failures.Count == 0, $"{start}: {string.Join("\n", failures)}");
            // The capture sees what startup logs (EF's own command log is filtered below warnings, its errors are not).
            Assert.Contains(app.Logs.Lines, l => l.Contains("Quartz Scheduler created", StringComparison.Ordinal));
        }
    }
}
