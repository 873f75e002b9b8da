using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Automation.Workflows;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Security;
using eNMS.Drivers;
using eNMS.Tests.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace eNMS.Tests.EndToEnd;

/// <summary>The real app on Kestrel at a free 127.0.0.1 port, with an empty SQLite database in a temp directory.</summary>
public sealed class AppServer : WebApplicationFactory<Program>
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("enms-e2e-").FullName;
    private readonly bool _seedDemo;

    public AppServer(bool seedDemo = false)
    {
        _seedDemo = seedDemo;
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        UseKestrel(o => o.Listen(IPAddress.Loopback, port));
    }

    public string BaseUrl { get; }

    /// <summary>What the app logged, for a failing test to quote.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>The app's warnings and errors so far, one per line.</summary>
    public string Problems() => string.Join('\n', Logs.Lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal)
        || l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal)));

    public const string AdminPassword = "admin-password-for-e2e";

    /// <summary>More settings (e.g. the "Oidc" section), applied after the defaults.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Enms:DataDirectory", _dataDirectory);
        builder.UseSetting("Enms:SeedDemo", _seedDemo ? "true" : "false");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:ConnectionString", "");
        builder.UseSetting("Security:AdminPassword", AdminPassword);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the temp directory is cleaned by the OS eventually.
        }
    }

    /// <summary>Stores lab devices of one platform sharing the first one's credential (encrypted as the app does);
    /// returns their ids by name.</summary>
    public async Task<Dictionary<string, int>> AddLabDevicesAsync(string platform, params DeviceTarget[] targets)
    {
        var credential = new Credential
        {
            Name = $"{platform} lab",
            Username = targets[0].Credential.Username,
            ProtectedPassword = Services.GetRequiredService<SecretProtector>().Protect(targets[0].Credential.Password!),
        };
        var devices = targets.Select(t => new Device { Name = t.Name, Address = t.Host, Platform = platform, Credential = credential }).ToList();
        await using var db = await Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        db.Devices.AddRange(devices);
        await db.SaveChangesAsync();
        return devices.ToDictionary(d => d.Name, d => d.Id);
    }

    /// <summary>Saves a service (a workflow with a graph) as the service editor does; returns its id.</summary>
    public async Task<int> CreateServiceAsync(string name, string kind, JsonObject parameters, WorkflowGraph? graph = null, List<int>? deviceIds = null)
    {
        var result = await Services.GetRequiredService<ServiceEditor>().SaveAsync(new ServiceInput
        {
            Name = name,
            Kind = kind,
            Parameters = parameters,
            Graph = graph,
            DeviceIds = deviceIds ?? [],
        }, null, CancellationToken.None);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
        return result.Id;
    }

    /// <summary>Runs a service in-process as <paramref name="user"/> and waits (bounded) for the run to end; returns it.</summary>
    public async Task<Run> RunToEndAsync(int serviceId, IReadOnlyList<int> deviceIds, string user = "admin")
    {
        var launch = await Services.GetRequiredService<RunLauncher>().StartAsync(new RunRequest(serviceId, deviceIds, User: user), CancellationToken.None);
        Assert.True(launch.Started, string.Join(" ", launch.Problems));
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(120);
        while (true)
        {
            await using var db = await Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
            var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == launch.RunId);
            if (run.Status is not (RunStatus.Pending or RunStatus.Running))
            {
                return run;
            }
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"run {run.Id} still {run.Status} after 120 s");
            await Task.Delay(100);
        }
    }

    /// <summary>Device ids by name.</summary>
    public async Task<Dictionary<string, int>> DeviceIdsAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        return await db.Devices.ToDictionaryAsync(d => d.Name, d => d.Id);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
