using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

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

    public const string AdminPassword = "admin-password-for-e2e";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Enms:DataDirectory", _dataDirectory);
        builder.UseSetting("Enms:SeedDemo", _seedDemo ? "true" : "false");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:ConnectionString", "");
        builder.UseSetting("Security:AdminPassword", AdminPassword);
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
