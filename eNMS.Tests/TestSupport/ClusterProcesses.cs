using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace eNMS.Tests.TestSupport;

/// <summary>One eNMS node as its own process: the built eNMS.Web.dll on a loopback port, against a shared database
/// and key ring. Its console output is kept (the test reads which node executed a run from it).</summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    // provider: Postgres (the cluster), or Sqlite for a single node on dataDirectory.
    // settings: more environment (Section__Key), applied last.
    public AppProcess(string node, string connectionString, string dataDirectory, string adminPassword, string provider = "Postgres",
        IReadOnlyDictionary<string, string>? settings = null)
    {
        Node = node;
        Port = FreePort();
        var web = Path.Combine(RepositoryRoot, "eNMS.Web");
        var dll = Path.Combine(AppContext.BaseDirectory, "eNMS.Web.dll");
        var start = new ProcessStartInfo("dotnet", $"\"{dll}\"")
        {
            WorkingDirectory = web,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var env = start.Environment;
        env["ASPNETCORE_URLS"] = BaseUrl;
        // Development: a build that is not published serves its static web assets (blazor.web.js, MudBlazor) only so.
        env["ASPNETCORE_ENVIRONMENT"] = "Development";
        env["DOTNET_ENVIRONMENT"] = "Development";
        env["Database__Provider"] = provider;
        env["Database__ConnectionString"] = connectionString;
        env["Enms__DataDirectory"] = dataDirectory;
        env["Enms__SeedDemo"] = "false";
        env["Security__AdminPassword"] = adminPassword;
        env["Security__ApiRequestsPerMinute"] = "100000";
        env["Scheduling__Node"] = node;
        // Detect a dead node within seconds rather than Quartz's production defaults.
        env["Scheduling__CheckinIntervalSeconds"] = "1";
        env["Scheduling__CheckinMisfireThresholdSeconds"] = "3";
        env["Logging__Console__FormatterName"] = "simple";
        env["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Node { get; }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public string Output => string.Join('\n', _output);

    public bool HasExited => _process.HasExited;

    /// <summary>Waits until the node answers HTTP (migrations applied, Quartz started).</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (true)
        {
            Assert.False(_process.HasExited, $"node {Node} exited:\n{Output}");
            try
            {
                if ((await http.GetAsync($"{BaseUrl}/login")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or still starting: on a loaded machine its first page can take longer than a probe.
            }
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"node {Node} did not answer within {timeout}:\n{Output}");
            await Task.Delay(250);
        }
    }

    /// <summary>Ends the process at once, as a crash or a power cut would: no graceful stop, nothing recorded.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "eNMS.sln")))
            {
                directory = directory.Parent;
            }
            return directory?.FullName ?? throw new InvalidOperationException("eNMS.sln not found above the test binaries.");
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>nginx (the Debian package) in front of the nodes, with deploy/nginx.conf — the file docker-compose.yml
/// mounts — filled in the way the nginx image does (environment variables in ${...}).</summary>
public sealed class NginxProcess : IAsyncDisposable
{
    private const string Binary = "/usr/sbin/nginx";
    private readonly string _directory = Directory.CreateTempSubdirectory("sched-nginx-").FullName;
    private readonly Process _process;

    public static bool Installed => File.Exists(Binary);

    public NginxProcess(params AppProcess[] nodes)
    {
        Prerequisites.Require("nginx", Installed, "install the Debian package nginx");
        Port = AppProcess.FreePort();
        var template = File.ReadAllText(Path.Combine(AppProcess.RepositoryRoot, "deploy", "nginx.conf"));
        var site = template.Replace("${ENMS_APP1}", $"127.0.0.1:{nodes[0].Port}", StringComparison.Ordinal)
            .Replace("${ENMS_APP2}", $"127.0.0.1:{nodes[1].Port}", StringComparison.Ordinal)
            .Replace("${ENMS_LISTEN}", $"127.0.0.1:{Port}", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_directory, "site.conf"), site);
        // What the nginx image's own nginx.conf provides around the site; temp paths in our directory so no root is needed.
        File.WriteAllText(Path.Combine(_directory, "nginx.conf"), $$"""
            daemon off;
            worker_processes 1;
            pid {{_directory}}/nginx.pid;
            error_log {{_directory}}/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path {{_directory}}/body;
                proxy_temp_path {{_directory}}/proxy;
                fastcgi_temp_path {{_directory}}/fastcgi;
                uwsgi_temp_path {{_directory}}/uwsgi;
                scgi_temp_path {{_directory}}/scgi;
                include {{_directory}}/site.conf;
            }
            """);
        _process = Process.Start(new ProcessStartInfo(Binary, $"-c {_directory}/nginx.conf -p {_directory}")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public string ErrorLog => File.Exists(Path.Combine(_directory, "error.log")) ? File.ReadAllText(Path.Combine(_directory, "error.log")) : "";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
