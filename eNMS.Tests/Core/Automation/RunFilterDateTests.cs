using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Tests.Core.Automation;

/// <summary><see cref="RunFilter"/>'s dates: from included, to excluded, compared as instants whatever the offset of
/// the bound or of the stored time, in SQL (SQLite stores a DateTimeOffset as text it cannot compare by itself).</summary>
public abstract class RunFilterDateTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    protected abstract IDbContextFactory<EnmsDbContext> Database();

    /// <summary>A time as the database gets it (SQLite keeps the offset it was given).</summary>
    protected virtual DateTimeOffset Stored(DateTimeOffset time) => time;

    private static async Task<List<string>> NamesAsync(IDbContextFactory<EnmsDbContext> dbFactory, DateTimeOffset? from, DateTimeOffset? to)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await new RunFilter(From: from, To: to).Page(db, 1000).Select(r => r.ServiceName).ToListAsync();
    }

    [Fact]
    public async Task From_is_included_to_is_excluded_and_offsets_compare_as_instants()
    {
        var dbFactory = Database();
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            // Created in this order, so ids do not follow times: the filter must read the times, not the ids.
            db.Runs.AddRange(
                new Run { ServiceName = "noon", CreatedAt = Noon },
                new Run { ServiceName = "a millisecond before noon", CreatedAt = Noon.AddMilliseconds(-1) },
                // 13:30 in Paris in winter is 12:30 UTC: after noon UTC, though "13:30" > "12:..." as text either way.
                new Run { ServiceName = "12:30 UTC, written in Paris time", CreatedAt = Stored(new DateTimeOffset(2026, 12, 1, 13, 30, 0, TimeSpan.FromHours(1))) },
                // 08:00 in New York is 13:00 UTC: after 12:30 UTC although "08:00" sorts first as text.
                new Run { ServiceName = "13:00 UTC, written in New York time", CreatedAt = Stored(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.FromHours(-5))) },
                new Run { ServiceName = "next day", CreatedAt = Noon.AddDays(1) });
            await db.SaveChangesAsync();
        }

        Assert.Equal(["next day", "13:00 UTC, written in New York time", "12:30 UTC, written in Paris time", "noon"], await NamesAsync(dbFactory, Noon, null));
        Assert.Equal(["a millisecond before noon"], await NamesAsync(dbFactory, null, Noon));
        // Bounds with an offset: 13:00+01:00 is noon UTC (included as from), 08:00-05:00 is 13:00 UTC (excluded as to).
        Assert.Equal(["12:30 UTC, written in Paris time", "noon"],
            await NamesAsync(dbFactory, new DateTimeOffset(2026, 12, 1, 13, 0, 0, TimeSpan.FromHours(1)), new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.FromHours(-5))));
        Assert.Empty(await NamesAsync(dbFactory, Noon, Noon));
        Assert.Empty(await NamesAsync(dbFactory, Noon.AddDays(2), null));
        Assert.Equal(5, (await NamesAsync(dbFactory, null, null)).Count);
    }
}

public sealed class RunFilterDateOnSqliteTests : RunFilterDateTests, IDisposable
{
    private readonly TestDatabase _database = new();

    protected override IDbContextFactory<EnmsDbContext> Database() => _database;

    public void Dispose() => _database.Dispose();
}

[Collection(PostgresTests.Name)]
public sealed class RunFilterDateOnPostgresTests(PostgresServer postgres) : RunFilterDateTests
{
    protected override IDbContextFactory<EnmsDbContext> Database() => postgres.NewMigratedDatabase();

    /// <summary>Npgsql writes only UTC into timestamptz (the app's times are all UTC): the bounds keep their offsets.</summary>
    protected override DateTimeOffset Stored(DateTimeOffset time) => time.ToUniversalTime();
}
