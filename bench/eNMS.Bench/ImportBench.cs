using System.Diagnostics;
using eNMS.Core.Data;
using eNMS.Core.Inventory.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Bench;

/// <summary>Import: the real <see cref="InventoryImporter"/> (what the import page and <c>POST /api/inventory/import</c>
/// call) committing a workbook into an empty database, twice (first import after start, then steady state). Rows/s
/// counts devices + links.</summary>
public static class ImportBench
{
    public static async Task RunAsync(Options options, CancellationToken ct)
    {
        var file = options.Required("file");
        using var host = await BenchHost.StartAsync(options, ct);
        var importer = host.Services.GetRequiredService<InventoryImporter>();
        var dbFactory = host.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>();
        // Twice, as the fan-out does: the first import after start pays for compiling the importer (JIT), the second is
        // a server that has imported before (the goal is judged on it). The database is emptied in between.
        foreach (var first in new[] { true, false })
        {
            if (!first)
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                await db.Links.ExecuteDeleteAsync(ct);
                await db.Devices.ExecuteDeleteAsync(ct);
            }
            var before = Measure.PeakMemoryMiB();
            var started = Stopwatch.GetTimestamp();
            ImportReport report;
            await using (var stream = File.OpenRead(file))
            {
                report = await importer.ImportAsync(stream, Path.GetFileName(file), new ImportOptions(Commit: true), ct);
            }
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var rows = report.Devices.Created + report.Links.Created;
            if (!report.Committed || report.Problems.Count > 0)
            {
                throw new BenchException($"the import did not commit cleanly: {report.Problems.Count} problem(s), first: " +
                    string.Join("; ", report.Problems.Take(3).Select(p => $"{p.Sheet} row {p.Row} {p.Column}: {p.Reason}")));
            }
            Measure.Report("import", ("first", first ? 1 : 0), ("devices", report.Devices.Created), ("links", report.Links.Created),
                ("seconds", seconds), ("rows_per_s", rows / seconds), ("peak_mib", Measure.PeakMemoryMiB()), ("peak_before_mib", before));
        }
        await host.StopAsync(ct);
    }
}
