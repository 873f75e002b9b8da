using eNMS.Core.Data;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace eNMS.Tests.Integration.Operations;

/// <summary>Nodes starting together on one PostgreSQL database migrate and seed one after the other (an advisory
/// lock), so the second never reads a half-made schema nor seeds the admin and the demo network again.</summary>
[Collection(PostgresTests.Name)]
public sealed class StartupLockTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_start_waits_for_the_startup_lock_before_migrating()
    {
        var connectionString = postgres.NewDatabase();
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using (var server = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres" }.ToString()))
        {
            await server.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", server);
            await create.ExecuteNonQueryAsync();
        }
        // What another node does while it migrates: hold the lock.
        await using var other = new NpgsqlConnection(connectionString);
        await other.OpenAsync();
        await Execute(other, $"SELECT pg_advisory_lock({DatabaseInitializer.StartupLockKey})");

        await using var app = new EnmsAppFactory(connectionString);
        var starting = Task.Run(() => app.CreateClient());
        // The app's own signal that it waits: its session queues behind ours in pg_locks.
        using var hang = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        while (await Sql(other, $"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = {DatabaseInitializer.StartupLockKey}") == 0)
        {
            Assert.False(starting.IsCompleted, "the app started without waiting for the startup lock");
            await Task.Delay(50, hang.Token);
        }
        Assert.Equal(0, await Sql(other, "SELECT count(*) FROM information_schema.tables WHERE table_name = '__EFMigrationsHistory'"));
        Assert.False(starting.IsCompleted);

        await Execute(other, $"SELECT pg_advisory_unlock({DatabaseInitializer.StartupLockKey})");
        using var client = await starting.WaitAsync(hang.Token);
        Assert.True((await client.GetAsync("/health/ready")).IsSuccessStatusCode);
    }

    [Fact]
    public async Task Two_nodes_starting_at_once_on_an_empty_database_seed_once()
    {
        var connectionString = postgres.NewDatabase();
        await using var first = new EnmsAppFactory(connectionString, seedDemo: true);
        await using var second = new EnmsAppFactory(connectionString, seedDemo: true);
        await Task.WhenAll(Task.Run(() => first.CreateClient()), Task.Run(() => second.CreateClient()));

        await using var db = await first.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        Assert.Equal(30, await db.Devices.CountAsync());
        Assert.Equal(1, await db.Users.CountAsync(u => u.UserName == "admin"));
        Assert.Equal(eNMS.Core.Security.Roles.All.Count, await db.Roles.CountAsync());
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> Sql(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }
}
