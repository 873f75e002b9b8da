using System.Data.Common;
using System.Diagnostics;
using eNMS.Core.Data;
using eNMS.Core.Inventory.Querying;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Bench;

/// <summary>
/// Inventory scale: N devices, then the device grid's filter + sort + page as the devices page runs it
/// (<see cref="InventoryGrids.Devices"/> on a fresh context) against the same two statements (count, then the page)
/// written by hand and read with a bare data reader on one open connection. Median of several repetitions each.
/// </summary>
public static class GridBench
{
    private sealed record Case(string Name, Dictionary<string, string> Filters, string SortBy, int Page, string Where, string[] Parameters);

    private static readonly Case[] Cases =
    [
        new("first page, sorted by name", [], "name", 0, "", []),
        new("platform contains 'ios', page 20", new() { ["platform"] = "ios" }, "name", 20, """WHERE lower("Platform") LIKE @p0 ESCAPE '\'""", ["%ios%"]),
        new("name contains '4242'", new() { ["name"] = "4242" }, "name", 0, """WHERE lower("Name") LIKE @p0 ESCAPE '\'""", ["%4242%"]),
        new("location + vendor, sorted by address", new() { ["location"] = "par", ["vendor"] = "cisco" }, "address", 5,
            """WHERE lower("Location") LIKE @p0 ESCAPE '\' AND lower("Vendor") LIKE @p1 ESCAPE '\'""", ["%par%", "%cisco%"]),
    ];

    /// <summary>Rounds not counted: they warm the page cache and let the JIT's tiering settle.</summary>
    private const int Warmup = 5;

    public static async Task RunAsync(Options options, CancellationToken ct)
    {
        var (count, repeat) = (options.Number("devices", 100_000), options.Number("repeat", 20));
        var provider = options.Text("provider", "Sqlite");
        using var host = await BenchHost.StartAsync(options, ct);
        var dbFactory = host.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>();
        var seeded = Stopwatch.GetTimestamp();
        await SeedAsync(dbFactory, count, ct);
        Console.Error.WriteLine($"grid: {count} devices inserted in {Stopwatch.GetElapsedTime(seeded).TotalSeconds:0.0} s");
        foreach (var c in Cases)
        {
            var request = new GridRequest(c.Filters, c.SortBy, false, c.Page, 50);
            var orderColumn = c.SortBy == "address" ? "Address" : "Name";
            var grid = new List<double>();
            var bare = new List<double>();
            int gridTotal = 0, bareTotal = 0, gridRows = 0, bareRows = 0;
            for (var i = 0; i < repeat + Warmup; i++)
            {
                var started = Stopwatch.GetTimestamp();
                // As the devices page reads: through a scoped context (an admin's: no pool limit).
                await using (var db = await dbFactory.CreateScopedAsync(null, ct))
                {
                    var page = await InventoryGrids.Devices.PageAsync(db, db.Devices.AsNoTracking(), request, ct);
                    (gridTotal, gridRows) = (page.Total, page.Items.Count);
                }
                var gridMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                started = Stopwatch.GetTimestamp();
                (bareTotal, bareRows) = await BareAsync(dbFactory, c, orderColumn, ct);
                var bareMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (i >= Warmup)
                {
                    grid.Add(gridMs);
                    bare.Add(bareMs);
                }
            }
            if (gridTotal != bareTotal || gridRows != bareRows)
            {
                throw new BenchException($"'{c.Name}': the grid found {gridTotal} ({gridRows} on the page), the bare query {bareTotal} ({bareRows})");
            }
            var (g, b) = (Measure.Median(grid), Measure.Median(bare));
            Measure.Report("grid", ("provider", provider), ("devices", count), ("case", c.Name), ("matches", gridTotal), ("grid_ms", g), ("bare_ms", b),
                ("ratio", g / b));
        }
        await host.StopAsync(ct);
    }

    private static async Task<(int Total, int Rows)> BareAsync(IDbContextFactory<EnmsDbContext> dbFactory, Case c, string orderColumn, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        await using var count = Command(connection, $"""SELECT COUNT(*) FROM "Devices" {c.Where}""", c.Parameters);
        var total = Convert.ToInt32(await count.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        await using var page = Command(connection,
            $"""SELECT * FROM "Devices" {c.Where} ORDER BY "{orderColumn}", "Id" LIMIT 50 OFFSET {c.Page * 50}""", c.Parameters);
        await using var reader = await page.ExecuteReaderAsync(ct);
        var values = new object[reader.FieldCount];
        var rows = 0;
        while (await reader.ReadAsync(ct))
        {
            reader.GetValues(values);
            rows++;
        }
        return (total, rows);
    }

    private static DbCommand Command(DbConnection connection, string sql, string[] parameters)
    {
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // the SQL is this file's constants; values go in as parameters
        command.CommandText = sql;
#pragma warning restore CA2100
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            parameter.Value = parameters[i];
            command.Parameters.Add(parameter);
        }
        return command;
    }

    /// <summary>N devices generated by one INSERT … SELECT over a recursive sequence (both databases read it): the
    /// change tracker would take minutes for 100,000 rows, and the seeding is not what is measured.</summary>
    private static async Task SeedAsync(IDbContextFactory<EnmsDbContext> dbFactory, int count, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        await db.Database.ExecuteSqlAsync($"""
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {count - 1})
            INSERT INTO "Devices" ("Name", "Address", "Port", "Platform", "Vendor", "Model", "OperatingSystem", "OsVersion",
                "Location", "Icon", "Description", "CustomProperties")
            SELECT 'dev-' || CAST(100000 + i AS TEXT), '198.18.' || CAST(i / 250 % 256 AS TEXT) || '.' || CAST(i % 250 + 1 AS TEXT), 22,
                CASE i % 5 WHEN 0 THEN 'cisco_ios' WHEN 1 THEN 'arista_eos' WHEN 2 THEN 'juniper_junos' WHEN 3 THEN 'cisco_nxos' ELSE 'frr' END,
                CASE i % 5 WHEN 0 THEN 'Cisco' WHEN 1 THEN 'Arista' WHEN 2 THEN 'Juniper' WHEN 3 THEN 'Cisco' ELSE 'FRRouting' END,
                'model-' || CAST(i % 17 AS TEXT), 'os-' || CAST(i % 5 AS TEXT), CAST(i % 9 AS TEXT) || '.' || CAST(i % 7 AS TEXT),
                CASE i / 7 % 10 WHEN 0 THEN 'Paris' WHEN 1 THEN 'Berlin' WHEN 2 THEN 'Madrid' WHEN 3 THEN 'Rome' WHEN 4 THEN 'Vienna'
                    WHEN 5 THEN 'Warsaw' WHEN 6 THEN 'Prague' WHEN 7 THEN 'Lisbon' WHEN 8 THEN 'Dublin' ELSE 'Oslo' END,
                'router', 'device ' || CAST(i AS TEXT) || ' of the grid benchmark', '[]'
            FROM n
            """, ct);
    }
}
