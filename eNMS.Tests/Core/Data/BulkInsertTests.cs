using System.Globalization;
using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Tests.Core.Data;

/// <summary>What <see cref="BulkInsert"/> writes reads back exactly as what the change tracker would have written.</summary>
public abstract class BulkInsertTests
{
    protected abstract IDbContextFactory<EnmsDbContext> Database();

    [Fact]
    public async Task Appended_results_and_logs_read_back_field_for_field_in_order()
    {
        var dbFactory = Database();
        var at = new DateTimeOffset(2026, 11, 25, 14, 30, 15, 123, TimeSpan.Zero);
        int runId;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var run = new Run { ServiceName = "bulk", CreatedAt = at, DeviceIds = [1, 2] };
            db.Runs.Add(run);
            await db.SaveChangesAsync();
            runId = run.Id;
        }
        var results = Enumerable.Range(0, 300).Select(i => new RunResult
        {
            RunId = runId,
            Node = i % 3 == 0 ? RunResult.RunLevel : $"n{i % 7}",
            ServiceId = 40 + i % 5,
            ServiceName = $"service {i}",
            DeviceId = i % 4 == 0 ? null : i,
            DeviceName = i % 4 == 0 ? "" : $"device-{i}",
            Success = i % 2 == 0,
            Changed = i % 5 == 0,
            Skipped = i % 11 == 0,
            Output = i == 7 ? new string('x', 70_000) + "\n'quotes', \"double\", ünïcödé, \\ backslash" : $"output {i}",
            Data = i % 3 == 0 ? """{"a":[1,2]}""" : "",
            Diff = i % 9 == 0 ? "+ line\n- line" : "",
            Error = i % 2 == 0 ? "" : $"error {i}",
            Attempts = 1 + i % 3,
            StartedAt = at.AddMilliseconds(i * 1.5),
            DurationMs = i * 0.25,
        }).ToList();
        var logs = Enumerable.Range(0, 50).Select(i => new RunLogEntry { RunId = runId, Time = at.AddSeconds(i), Level = i % 2 == 0 ? "info" : "warning", Message = $"line {i}" }).ToList();

        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await BulkInsert.AppendAsync(db, results, CancellationToken.None);
            await BulkInsert.AppendAsync(db, logs, CancellationToken.None);
            await transaction.CommitAsync();
        }

        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var stored = await db.RunResults.AsNoTracking().Where(r => r.RunId == runId).OrderBy(r => r.Id).ToListAsync();
            Assert.Equal(results.Count, stored.Count);
            for (var i = 0; i < results.Count; i++)
            {
                var (expected, actual) = (results[i], stored[i]);
                Assert.Equal((expected.Node, expected.ServiceId, expected.ServiceName, expected.DeviceId, expected.DeviceName),
                    (actual.Node, actual.ServiceId, actual.ServiceName, actual.DeviceId, actual.DeviceName));
                Assert.Equal((expected.Success, expected.Changed, expected.Skipped, expected.Attempts), (actual.Success, actual.Changed, actual.Skipped, actual.Attempts));
                Assert.Equal((expected.Output, expected.Data, expected.Diff, expected.Error), (actual.Output, actual.Data, actual.Diff, actual.Error));
                Assert.Equal(expected.StartedAt, actual.StartedAt);
                Assert.Equal(expected.DurationMs, actual.DurationMs);
            }
            var storedLogs = await db.RunLogs.AsNoTracking().Where(l => l.RunId == runId).OrderBy(l => l.Id).ToListAsync();
            Assert.Equal(logs.Select(l => (l.Time, l.Level, l.Message)), storedLogs.Select(l => (l.Time, l.Level, l.Message)));
        }
    }

    [Fact]
    public async Task Rows_appended_in_a_transaction_that_rolls_back_are_not_kept()
    {
        var dbFactory = Database();
        await using var db = await dbFactory.CreateDbContextAsync();
        var run = new Run { ServiceName = "rolled back", CreatedAt = DateTimeOffset.UnixEpoch };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await BulkInsert.AppendAsync(db, [new RunLogEntry { RunId = run.Id, Time = DateTimeOffset.UnixEpoch, Message = "gone" }], CancellationToken.None);
            await transaction.RollbackAsync();
        }
        Assert.Equal(0, await db.RunLogs.CountAsync(l => l.RunId == run.Id));
    }

    [Fact]
    public async Task Inserted_rows_get_the_keys_they_are_stored_under_and_never_a_deleted_rows_key()
    {
        var dbFactory = Database();
        await using var db = await dbFactory.CreateDbContextAsync();
        db.Devices.AddRange(Enumerable.Range(0, 5).Select(i => new Device { Name = $"old-{i}", Address = $"127.0.0.{i + 1}" }));
        await db.SaveChangesAsync();
        var highest = await db.Devices.MaxAsync(d => d.Id);
        // The highest keys go: a key given again would point a link at a different device than the one it named.
        db.Devices.RemoveRange(await db.Devices.Where(d => d.Id > highest - 2).ToListAsync());
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        var devices = Enumerable.Range(0, 300).Select(i => new Device { Name = $"new-{i}", Address = $"127.0.1.{i % 250 + 1}" }).ToList();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await BulkInsert.InsertAsync(db, devices, CancellationToken.None);
            var links = devices.Skip(1).Select((d, i) => new Link { Name = $"link-{i}", SourceId = devices[i].Id, DestinationId = d.Id }).ToList();
            await BulkInsert.InsertAsync(db, links, CancellationToken.None);
            await transaction.CommitAsync();
        }

        Assert.All(devices, d => Assert.True(d.Id > highest, $"{d.Name} was given key {d.Id}, not above {highest}"));
        var stored = await db.Devices.AsNoTracking().Where(d => d.Name.StartsWith("new-")).ToDictionaryAsync(d => d.Name, d => d.Id);
        Assert.Equal(devices.ToDictionary(d => d.Name, d => d.Id), stored);
        var endpoints = await db.Links.AsNoTracking().Include(l => l.Source).Include(l => l.Destination)
            .Select(l => new { l.Name, Source = l.Source!.Name, Destination = l.Destination!.Name }).ToListAsync();
        Assert.Equal(299, endpoints.Count);
        Assert.All(endpoints, l => Assert.Equal(($"new-{int.Parse(l.Name[5..], CultureInfo.InvariantCulture)}", $"new-{int.Parse(l.Name[5..], CultureInfo.InvariantCulture) + 1}"), (l.Source, l.Destination)));
    }
}

public sealed class BulkInsertOnSqliteTests : BulkInsertTests, IDisposable
{
    private readonly TestDatabase _database = new();

    protected override IDbContextFactory<EnmsDbContext> Database() => _database;

    public void Dispose() => _database.Dispose();
}

[Collection(PostgresTests.Name)]
public sealed class BulkInsertOnPostgresTests(PostgresServer postgres) : BulkInsertTests
{
    protected override IDbContextFactory<EnmsDbContext> Database() => postgres.NewMigratedDatabase();
}
