using System.Text.Json.Nodes;
using eNMS.Core.Automation;
using eNMS.Core.Configurations;
using eNMS.Core.Data;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>Backups of the simulated demo devices mirrored by the real git CLI into a temporary repository, pushed
/// to a local bare remote (or to one that does not exist).</summary>
public sealed class GitMirrorTests : IAsyncLifetime
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("gitmirror-test-");
    private EnmsAppFactory _app = null!;
    private AutomationClient _api = null!;
    private Dictionary<string, int> _devices = null!;
    private int _backup;

    private string Repository => Path.Combine(_root.FullName, "mirror");
    private string Remote => Path.Combine(_root.FullName, "remote.git");
    private GitCli Git => new(Repository, TimeSpan.FromSeconds(30));

    public Task InitializeAsync()
    {
        Prerequisites.Require("git", File.Exists("/usr/bin/git"), "Debian package git");
        return Task.CompletedTask;
    }

    private async Task StartAsync(string remote, bool includeSecrets = false)
    {
        _app = new EnmsAppFactory(seedDemo: true)
        {
            Settings = new Dictionary<string, string>
            {
                ["Automation:SimulatorCommandDelay"] = "00:00:00",
                ["Configurations:GitMirror:RepositoryPath"] = Repository,
                ["Configurations:GitMirror:Remote"] = remote,
                ["Configurations:GitMirror:Branch"] = "configs",
                ["Configurations:GitMirror:AuthorName"] = "eNMS mirror",
                ["Configurations:GitMirror:AuthorEmail"] = "mirror@enms.test",
                ["Configurations:GitMirror:IncludeSecrets"] = includeSecrets ? "true" : "false",
            },
        };
        _api = new AutomationClient(await _app.CreateClientAsync("admin"));
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        _devices = await db.Devices.ToDictionaryAsync(d => d.Name, d => d.Id);
        _backup = await _api.CreateServiceAsync("nightly backup", "config_backup", new { });
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        _root.Delete(recursive: true);
    }

    private async Task<(Run Run, string Log)> RunAsync(int serviceId, params string[] devices)
    {
        var run = await _api.WaitAsync(await _api.RunAsync(serviceId, devices.Select(d => _devices[d])), seconds: 60);
        Assert.True(run.Status == RunStatus.Completed, $"run {run.Id} {run.Status}: {run.Error}");
        return (run, await _api.Http.GetStringAsync($"/api/runs/{run.Id}/logs"));
    }

    private async Task<string> GitAsync(params string[] arguments) => (await Git.RunAsync(CancellationToken.None, arguments)).Output;

    private async Task<int> CommitCountAsync() => int.Parse(await GitAsync("rev-list", "--count", "HEAD"), System.Globalization.CultureInfo.InvariantCulture);

    private async Task<List<string>> FilesAsync(string revision) =>
        [.. (await GitAsync("show", "--pretty=format:", "--name-only", revision)).Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    [RequiresFact("git")]
    public async Task Backups_are_mirrored_one_file_per_device_one_commit_per_changing_run_and_pushed()
    {
        await new GitCli(_root.FullName, TimeSpan.FromSeconds(30)).RunAsync(CancellationToken.None, "init", "--bare", "--quiet", Remote);
        await StartAsync(Remote);
        string[] devices = ["paris-core", "madrid-core", "berlin-core"];

        var (first, firstLog) = await RunAsync(_backup, devices);
        Assert.Contains("Git mirror: commit", firstLog, StringComparison.Ordinal);
        Assert.Equal(1, await CommitCountAsync());
        Assert.Equal(["berlin-core.cfg", "madrid-core.cfg", "paris-core.cfg"], (await GitAsync("ls-files", "*.cfg")).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var message = await GitAsync("log", "-1", "--format=%an <%ae>%n%B");
        Assert.StartsWith("eNMS mirror <mirror@enms.test>", message, StringComparison.Ordinal);
        Assert.Contains($"Backup run #{first.Id} of \"nightly backup\" by {first.CreatedBy}", message, StringComparison.Ordinal);
        Assert.All(devices, d => Assert.Contains($"- {d} (added)", message, StringComparison.Ordinal));

        // Secrets are masked by default; the rest of the configuration is there.
        var paris = await File.ReadAllTextAsync(Path.Combine(Repository, "paris-core.cfg"));
        Assert.Contains("hostname paris-core", paris, StringComparison.Ordinal);
        Assert.Contains("enable secret 9 " + ConfigMasking.Mask, paris, StringComparison.Ordinal);
        Assert.DoesNotContain("AdminSecret", paris, StringComparison.Ordinal);
        Assert.DoesNotContain("community demo-", paris, StringComparison.Ordinal);

        var (_, unchangedLog) = await RunAsync(_backup, devices);
        Assert.Contains("no configuration changed, no commit", unchangedLog, StringComparison.Ordinal);
        Assert.Equal(1, await CommitCountAsync());

        var deploy = await _api.CreateServiceAsync("deploy", "config_deploy", new
        {
            config = "snmp-server location Madrid",
            validationCommands = "show running-config",
            validationPattern = "snmp-server location Madrid",
        });
        await RunAsync(deploy, "madrid-core");
        await RunAsync(_backup, devices);
        Assert.Equal(2, await CommitCountAsync());
        Assert.Equal(["madrid-core.cfg"], await FilesAsync("HEAD"));
        Assert.Contains("snmp-server location Madrid", await GitAsync("show", "HEAD", "--", "madrid-core.cfg"), StringComparison.Ordinal);
        Assert.Contains("- madrid-core (changed)", await GitAsync("log", "-1", "--format=%B"), StringComparison.Ordinal);

        // A renamed device's file is renamed (its name made safe for a file system), in a commit of its own.
        await using (var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync())
        {
            var berlin = await db.Devices.SingleAsync(d => d.Name == "berlin-core");
            berlin.Name = "berlin/core:2";
            await db.SaveChangesAsync();
        }
        _devices["berlin/core:2"] = _devices["berlin-core"];
        await RunAsync(_backup, "berlin/core:2");
        Assert.Equal(3, await CommitCountAsync());
        Assert.Equal(["berlin_core_2.cfg", "madrid-core.cfg", "paris-core.cfg"], (await GitAsync("ls-files", "*.cfg")).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("- berlin/core:2 (renamed from berlin-core.cfg)", await GitAsync("log", "-1", "--format=%B"), StringComparison.Ordinal);

        // Every commit reached the bare remote's branch.
        var remoteHead = (await new GitCli(Remote, TimeSpan.FromSeconds(30)).RunAsync(CancellationToken.None, "rev-parse", "configs")).Output;
        Assert.Equal((await GitAsync("rev-parse", "HEAD")).Trim(), remoteHead.Trim());
    }

    [RequiresFact("git")]
    public async Task A_backup_with_bytes_that_did_not_decode_is_flagged_keeps_the_good_version_and_is_not_mirrored()
    {
        await StartAsync("");
        var device = _devices["rome-core"];
        await RunAsync(_backup, "rome-core");
        Assert.Equal(1, await CommitCountAsync());
        var good = JsonNode.Parse(await _api.Http.GetStringAsync($"/api/devices/{device}/configurations"))!.AsArray();
        var goodId = (long)Assert.Single(good)!["id"]!;

        // The device now answers with a byte that did not decode (as a garbled session shows it).
        var garble = await _api.CreateServiceAsync("garble", "cli_config", new { config = "snmp-server location Rome-\uFFFD-room" });
        Assert.True((await _api.ResultsAsync((await _api.WaitAsync(await _api.RunAsync(garble, [device]), seconds: 60)).Id)).Single().Success);
        var flaggedRun = await _api.WaitAsync(await _api.RunAsync(_backup, [device]), seconds: 60);
        var flagged = (await _api.ResultsAsync(flaggedRun.Id)).Single();

        Assert.False(flagged.Success);
        Assert.Contains("Backup flagged", flagged.Error, StringComparison.Ordinal);
        Assert.Contains("U+FFFD", flagged.Error, StringComparison.Ordinal);
        Assert.Contains($"version #{goodId} stays current", flagged.Error, StringComparison.Ordinal);
        var versions = JsonNode.Parse(await _api.Http.GetStringAsync($"/api/devices/{device}/configurations"))!.AsArray();
        Assert.Equal(2, versions.Count);
        Assert.Contains("U+FFFD", (string)versions[0]!["flag"]!, StringComparison.Ordinal);
        Assert.Null(versions[1]!["flag"]);
        Assert.Equal(1, await CommitCountAsync()); // the mirror kept the good configuration
        Assert.DoesNotContain("Rome-", await File.ReadAllTextAsync(Path.Combine(Repository, "rome-core.cfg")), StringComparison.Ordinal);
        var flaggedList = JsonNode.Parse(await _api.Http.GetStringAsync("/api/configurations/flagged"))!.AsArray();
        Assert.Equal((long)versions[0]!["id"]!, (long)Assert.Single(flaggedList)!["id"]!);

        // Once the device answers cleanly, backups continue from the good version.
        var clean = await _api.CreateServiceAsync("clean", "cli_config", new { config = "no snmp-server location Rome-\uFFFD-room\nsnmp-server location Rome-room" });
        await RunAsync(clean, "rome-core");
        var (after, _) = await RunAsync(_backup, "rome-core");
        var result = (await _api.ResultsAsync(after.Id)).Single();
        Assert.True(result.Changed);
        Assert.Contains($"\"previousVersionId\":{goodId}", result.Data, StringComparison.Ordinal);
        Assert.Equal(2, await CommitCountAsync());
        Assert.Empty(JsonNode.Parse(await _api.Http.GetStringAsync("/api/configurations/flagged"))!.AsArray());
    }

    [RequiresFact("git")]
    public async Task A_push_that_fails_is_a_warning_and_the_backup_and_commit_stand()
    {
        await StartAsync(Path.Combine(_root.FullName, "no-such-remote.git"));

        var (run, log) = await RunAsync(_backup, "rome-core");

        Assert.Contains("\"level\":\"warning\"", log, StringComparison.Ordinal);
        Assert.Contains("Git mirror: the push to the remote failed", log, StringComparison.Ordinal);
        Assert.Contains("does not appear to be a git repository", log, StringComparison.Ordinal);
        var result = Assert.Single(await _api.ResultsAsync(run.Id));
        Assert.True(result.Success && result.Changed, result.Error);
        Assert.Equal(1, await CommitCountAsync());
        Assert.Equal(["rome-core.cfg"], (await FilesAsync("HEAD")).Where(f => f.EndsWith(".cfg", StringComparison.Ordinal)));
    }

    [RequiresFact("git")]
    public async Task A_remote_url_with_a_password_is_refused_and_secrets_are_kept_only_when_asked()
    {
        await StartAsync("https://mirror:a-git-password@127.0.0.1:9/configs.git", includeSecrets: true);

        var (_, log) = await RunAsync(_backup, "paris-core");

        Assert.Contains("the remote URL holds a password", log, StringComparison.Ordinal);
        Assert.DoesNotContain("a-git-password", log, StringComparison.Ordinal);
        Assert.Equal("", await GitAsync("remote"));
        Assert.Equal(1, await CommitCountAsync());
        Assert.Contains("username admin privilege 15 secret 9 $9$enmsDemo$AdminSecret", await File.ReadAllTextAsync(Path.Combine(Repository, "paris-core.cfg")), StringComparison.Ordinal);
    }

    [RequiresFact("git")]
    public async Task Backup_runs_at_the_same_time_commit_one_after_the_other()
    {
        await StartAsync("");
        string[][] batches = [["paris-core", "madrid-core"], ["brussels-core", "milan-core"], ["oslo-core", "warsaw-core"]];

        var started = await Task.WhenAll(batches.Select(b => _api.RunAsync(_backup, b.Select(d => _devices[d]))));
        foreach (var id in started)
        {
            Assert.Equal(RunStatus.Completed, (await _api.WaitAsync(id, seconds: 60)).Status);
        }

        Assert.Equal(batches.Length, await CommitCountAsync());
        Assert.Equal(batches.SelectMany(b => b).Select(d => d + ".cfg").Order(StringComparer.Ordinal),
            (await GitAsync("ls-files", "*.cfg")).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        await GitAsync("fsck", "--strict");
        Assert.Equal("", await GitAsync("status", "--porcelain"));
    }

    [Theory]
    [InlineData("core-1", "core-1.cfg")]
    [InlineData("paris/core 1", "paris_core 1.cfg")]
    [InlineData(".git", "_.git.cfg")]
    [InlineData("..", "_.cfg")]
    [InlineData("a\\b:c*?\"<>|\td", "a_b_c_______d.cfg")]
    public void Device_names_become_file_names_that_stay_in_the_repository(string device, string file) =>
        Assert.Equal(file, GitMirror.FileName(device));
}
