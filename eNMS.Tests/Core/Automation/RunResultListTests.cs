using System.Data.Common;
using eNMS.Core.Automation;
using eNMS.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Tests.Core.Automation;

/// <summary>The queries the run page and the dashboard send after a year of runs, as SQLite plans them: through an
/// index, never a sort of a whole run.</summary>
public sealed class RunResultListTests : IAsyncLifetime
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private SqliteEnmsDbContext _db = null!;

    public async Task InitializeAsync()
    {
        await _connection.OpenAsync();
        _db = new SqliteEnmsDbContext(new DbContextOptionsBuilder<SqliteEnmsDbContext>().UseSqlite(_connection).Options);
        await _db.Database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        await _connection.DisposeAsync();
    }

    /// <summary>EXPLAIN QUERY PLAN of what EF sends for <paramref name="query"/> (its parameters bound as EF binds them).</summary>
    private async Task<string> PlanAsync<T>(IQueryable<T> query)
    {
        var text = query.ToQueryString().Split('\n');
        await using var command = _connection.CreateCommand();
        foreach (var line in text.Where(l => l.StartsWith(".param set ", StringComparison.Ordinal)))
        {
            var parts = line.Split(' ', 4);
            command.Parameters.AddWithValue(parts[2], parts[3].Trim('\''));
        }
        command.CommandText = "EXPLAIN QUERY PLAN " + string.Join('\n', text.Where(l => !l.StartsWith(".param", StringComparison.Ordinal)));
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        var plan = new List<string>();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(3));
        }
        return string.Join('\n', plan);
    }

    [Fact]
    public async Task A_page_of_a_runs_results_is_read_in_index_order_without_sorting_the_run()
    {
        var plan = await PlanAsync(RunResultList.Query(_db, 7, new ResultFilter()).OrderBy(r => r.Id).Skip(50_000).Take(50));

        Assert.Contains("IX_RunResults_RunId_Id", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboards_failing_devices_search_the_latest_runs_not_a_year_of_results()
    {
        var plan = await PlanAsync(RunHistory.FailingDevices(_db, 1_000, 8));

        Assert.Contains("SEARCH r USING INDEX IX_RunResults_RunId_Id (RunId>?)", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN r", plan, StringComparison.Ordinal);
    }
}
