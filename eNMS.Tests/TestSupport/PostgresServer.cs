using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Tests.TestSupport;

/// <summary>
/// A throwaway PostgreSQL cluster on a free loopback port, owned by the test run: initdb into a temp directory,
/// start, hand out fresh databases, stop and delete. As root the server runs as the 'postgres' user.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private string? _directory;
    private int _databases;

    public int Port { get; private set; }

    public static bool Installed => File.Exists(Path.Combine(BinDirectory, "initdb"));

    public async Task InitializeAsync()
    {
        if (Prerequisites.OptedOut("postgres") || !Installed)
        {
            return;
        }
        _directory = Directory.CreateTempSubdirectory("enms-pg-").FullName;
        Port = FreePort();
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", $"postgres:postgres {_directory}", asPostgres: false);
        }
        await RunAsync(Path.Combine(BinDirectory, "initdb"), $"-D {_directory}/data -U postgres --auth=trust -E UTF8 --no-sync", asRoot);
        await RunAsync(Path.Combine(BinDirectory, "pg_ctl"),
            $"-D {_directory}/data -l {_directory}/log -o \"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200\" -w start", asRoot);
    }

    public async Task DisposeAsync()
    {
        if (_directory is null)
        {
            return;
        }
        try
        {
            await RunAsync(Path.Combine(BinDirectory, "pg_ctl"), $"-D {_directory}/data -m immediate -w stop", Environment.UserName == "root");
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>A connection string to a database of its own (created on first connect by EF's migrations).</summary>
    public string NewDatabase()
    {
        Prerequisites.Require("postgres", Installed, "install the Debian package postgresql");
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database=enms_test_{Interlocked.Increment(ref _databases)}_{Environment.ProcessId}";
    }

    /// <summary>A database of its own with the real migrations applied, as the app's context factory.</summary>
    public IDbContextFactory<EnmsDbContext> NewMigratedDatabase()
    {
        var options = new DbContextOptionsBuilder<PostgresEnmsDbContext>().UseNpgsql(NewDatabase()).Options;
        using (var db = new PostgresEnmsDbContext(options))
        {
            db.Database.Migrate();
        }
        return new Factory(options);
    }

    private sealed class Factory(DbContextOptions<PostgresEnmsDbContext> options) : IDbContextFactory<EnmsDbContext>
    {
        public EnmsDbContext CreateDbContext() => new PostgresEnmsDbContext(options);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string arguments, bool asPostgres)
    {
        var start = asPostgres
            ? new ProcessStartInfo("runuser", $"-u postgres -- {file} {arguments}")
            : new ProcessStartInfo(file, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresTests : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
