using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Tests.EndToEnd;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>eNMS nodes as processes on one fresh PostgreSQL database (as <see cref="ClusterBatchTests"/> and
/// <see cref="ClusterCapTests"/> run them): started one after the other (the first applies the migrations and creates
/// the admin), an admin API client on the first, and the database as a context factory. A failure of the test's steps
/// carries the end of each node's output.</summary>
internal sealed class NodeCluster : IAsyncDisposable
{
    private readonly string _dataDirectory;
    private HttpClient? _api;
    private ServiceProvider? _services;

    private NodeCluster(string dataDirectory) => _dataDirectory = dataDirectory;

    public List<AppProcess> Nodes { get; } = [];

    public AutomationClient Client { get; private set; } = null!;

    public IDbContextFactory<EnmsDbContext> Database { get; private set; } = null!;

    public static async Task<NodeCluster> StartAsync(PostgresServer postgres, string prefix, IReadOnlyDictionary<string, string> settings, params string[] names)
    {
        var connectionString = postgres.NewDatabase();
        var cluster = new NodeCluster(Directory.CreateTempSubdirectory($"{prefix}-").FullName);
        try
        {
            foreach (var name in names)
            {
                var node = new AppProcess(name, connectionString, cluster._dataDirectory, AppServer.AdminPassword, settings: settings);
                cluster.Nodes.Add(node);
                await node.WaitReadyAsync(TimeSpan.FromMinutes(5));
            }
            cluster._api = await ClusterTests.ApiClientAsync(connectionString, cluster._dataDirectory, cluster.Nodes[0].BaseUrl);
            cluster.Client = new AutomationClient(cluster._api);
            cluster._services = ClusterTests.Services(connectionString, cluster._dataDirectory);
            cluster.Database = cluster._services.GetRequiredService<IDbContextFactory<EnmsDbContext>>();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>A file path in the nodes' shared data directory (deleted with it).</summary>
    public string PathOf(string name) => Path.Combine(_dataDirectory, name);

    /// <summary>Stores <paramref name="count"/> devices (they are not dialled), returns their ids.</summary>
    public async Task<List<int>> DevicesAsync(int count, Func<int, Device> device)
    {
        await using var db = await Database.CreateDbContextAsync();
        var devices = Enumerable.Range(0, count).Select(device).ToList();
        db.Devices.AddRange(devices);
        await db.SaveChangesAsync();
        return devices.Select(d => d.Id).ToList();
    }

    /// <summary>The node that took run <paramref name="runId"/> (its coordinator), from what the nodes print.</summary>
    public static async Task<AppProcess> CoordinatorAsync(IReadOnlyList<AppProcess> nodes, int runId)
    {
        AppProcess? coordinator = null;
        await ClusterTests.EventuallyAsync(TimeSpan.FromSeconds(60), () =>
        {
            coordinator = nodes.FirstOrDefault(n => n.Output.Contains($"Run {runId} executing on node {n.Node}", StringComparison.Ordinal));
            return Task.FromResult(coordinator is not null);
        }, $"a node to take run {runId}");
        return coordinator!;
    }

    /// <summary>Runs the test's steps; a failure says what each node printed last.</summary>
    public async Task RunAsync(Func<Task> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        try
        {
            await steps();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidOperationException(e.Message + string.Concat(Nodes.Select(n => $"\n--- {n.Node} ---\n{ClusterTests.Tail(n.Output)}")), e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _api?.Dispose();
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
