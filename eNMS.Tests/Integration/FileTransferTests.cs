using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using eNMS.Core.Automation;
using eNMS.Drivers;
using eNMS.Drivers.Cli;
using eNMS.Drivers.Transfer;
using eNMS.Tests.TestSupport;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Integration;

/// <summary><c>file_transfer</c> through the API against the lab's Linux hosts (sshd with the <c>sftp</c> subsystem and
/// the <c>scp</c> program): round trips verified with sha256sum, the overwrite policy, the size limit, local paths kept
/// inside the transfer directory, and the host key checked.</summary>
[Collection(LabGroup.Name)]
public sealed class FileTransferTests : IAsyncLifetime
{
    private const long Limit = 64 * 1024;
    private readonly LabFixture lab;
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("enms-transfer-");
    private readonly EnmsAppFactory _app;
    private AutomationClient _api = null!;
    private readonly string _unique = Guid.NewGuid().ToString("N")[..8];

    public FileTransferTests(LabFixture lab)
    {
        this.lab = lab;
        _app = new EnmsAppFactory
        {
            Settings = new Dictionary<string, string>
            {
                ["Automation:FileTransferDirectory"] = _root.FullName,
                ["Automation:FileTransferMaxBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };
    }

    public async Task InitializeAsync() => _api = new AutomationClient(await _app.CreateClientAsync("admin"));

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _root.Delete(recursive: true);
    }

    private async Task<int> HostAsync(int i)
    {
        var target = DeviceTargetLike.From(LabFixture.LinuxHost(i));
        var credential = await AutomationClient.Read(await _api.Http.PostAsJsonAsync("/api/credentials", new
        {
            name = $"cred-{target.Name}",
            username = target.Username,
            password = target.Password,
        }), HttpStatusCode.Created);
        var device = await AutomationClient.Read(await _api.Http.PostAsJsonAsync("/api/devices", new
        {
            name = target.Name,
            address = target.Host,
            platform = target.Platform,
            credentialId = (int)credential["id"]!,
        }), HttpStatusCode.Created);
        return (int)device["id"]!;
    }

    private async Task<RunResult> RunAsync(int device, object parameters)
    {
        var service = await _api.CreateServiceAsync($"transfer-{Guid.NewGuid():N}", "file_transfer", parameters);
        var run = await _api.WaitAsync(await _api.RunAsync(service, [device]), seconds: 60);
        return Assert.Single(await _api.ResultsAsync(run.Id));
    }

    private byte[] LocalFile(string relative, int size)
    {
        var bytes = RandomNumberGenerator.GetBytes(size);
        var path = Path.Combine(_root.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return bytes;
    }

    [LabTheory]
    [InlineData("Sftp")]
    [InlineData("Scp")]
    public async Task A_file_put_then_got_back_is_the_same_and_verified_by_sha256sum_on_the_host(string protocol)
    {
        lab.RequireLab();
        var host = await HostAsync(1);
        var bytes = LocalFile("images/os.bin", 40_000);
        var remote = $"enms-transfer-{_unique}-{{{{ device.name }}}}.bin";

        var put = await RunAsync(host, new { direction = "Put", protocol, source = "images/os.bin", destination = remote });
        var got = await RunAsync(host, new { direction = "Get", protocol, source = remote, destination = "back/os.bin" });

        Assert.True(put.Success, put.Error);
        Assert.True(got.Success, got.Error);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Assert.Contains($"sha256 {sha} verified", put.Output, StringComparison.Ordinal);
        Assert.Equal($"sha256:{sha}", JsonDocument.Parse(got.Data).RootElement.GetProperty("checksum").GetString());
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(_root.FullName, "back", "os.bin")));
        Assert.True(put.Changed);
    }

    [LabFact]
    public async Task Overwrite_never_refuses_an_existing_file_and_if_different_skips_the_same_one()
    {
        lab.RequireLab();
        var host = await HostAsync(2);
        LocalFile("cfg.txt", 1000);
        var remote = $"enms-transfer-{_unique}.txt";
        Assert.True((await RunAsync(host, new { source = "cfg.txt", destination = remote })).Success);

        var never = await RunAsync(host, new { source = "cfg.txt", destination = remote, overwrite = "Never" });
        var same = await RunAsync(host, new { source = "cfg.txt", destination = remote, overwrite = "IfDifferent", protocol = "Scp" });
        LocalFile("cfg.txt", 1000);
        var changed = await RunAsync(host, new { source = "cfg.txt", destination = remote, overwrite = "IfDifferent" });
        LocalFile("back.txt", 10);
        var getNever = await RunAsync(host, new { direction = "Get", source = remote, destination = "back.txt" });

        Assert.False(never.Success);
        Assert.Equal($"h2: {remote} already exists and the overwrite policy is Never", never.Error);
        Assert.True(same.Success, same.Error);
        Assert.False(same.Changed);
        Assert.Contains("not copied", same.Output, StringComparison.Ordinal);
        Assert.True(changed.Success, changed.Error);
        Assert.True(changed.Changed);
        Assert.False(getNever.Success);
        Assert.Contains("back.txt already exists in the transfer directory", getNever.Error, StringComparison.Ordinal);
    }

    [LabTheory]
    [InlineData("../outside.bin", "outside the transfer directory")]
    [InlineData("images/../../outside.bin", "outside the transfer directory")]
    [InlineData("/etc/passwd", "outside the transfer directory")]
    [InlineData("linked/passwd", "symbolic link (linked)")]
    [InlineData("passwd-link", "symbolic link (passwd-link)")]
    public async Task A_local_path_leaving_the_transfer_directory_is_refused_before_anything_is_sent(string local, string reason)
    {
        lab.RequireLab();
        Directory.CreateSymbolicLink(Path.Combine(_root.FullName, "linked"), "/etc");
        File.CreateSymbolicLink(Path.Combine(_root.FullName, "passwd-link"), "/etc/passwd");
        var host = await HostAsync(1);
        var remote = $"enms-transfer-{_unique}-escape";

        var put = await RunAsync(host, new { source = local, destination = remote, overwrite = "Always" });
        var get = await RunAsync(host, new { direction = "Get", source = ".profile", destination = local, overwrite = "Always" });

        Assert.False(put.Success);
        Assert.False(get.Success);
        Assert.Contains(reason, put.Error, StringComparison.Ordinal);
        Assert.Contains(reason, get.Error, StringComparison.Ordinal);
        Assert.StartsWith("h1: ", put.Error, StringComparison.Ordinal);
        Assert.Null(await FileChecksumOnHostAsync(remote));
    }

    [LabFact]
    public async Task Files_over_the_size_limit_are_refused_both_ways_and_a_missing_file_is_named()
    {
        lab.RequireLab();
        var host = await HostAsync(1);
        LocalFile("big.bin", (int)Limit + 1);
        var bigRemote = $"enms-transfer-{_unique}-big";
        var make = await _api.CreateServiceAsync("make", "cli_commands", new { commands = $"head -c {Limit + 1} /dev/zero > {bigRemote}" });
        await _api.WaitAsync(await _api.RunAsync(make, [host]), seconds: 60);

        var put = await RunAsync(host, new { source = "big.bin", destination = bigRemote + "-put" });
        var getSftp = await RunAsync(host, new { direction = "Get", source = bigRemote, destination = "big-sftp" });
        var getScp = await RunAsync(host, new { direction = "Get", protocol = "Scp", source = bigRemote, destination = "big-scp" });
        var missing = await RunAsync(host, new { direction = "Get", source = bigRemote + "-missing", destination = "missing" });
        var missingScp = await RunAsync(host, new { direction = "Get", protocol = "Scp", source = bigRemote + "-missing", destination = "missing" });

        Assert.Contains($"larger than the transfer size limit of {Limit} bytes", put.Error, StringComparison.Ordinal);
        Assert.Contains($"larger than the transfer size limit of {Limit} bytes", getSftp.Error, StringComparison.Ordinal);
        Assert.Contains($"larger than the transfer size limit of {Limit} bytes", getScp.Error, StringComparison.Ordinal);
        Assert.Equal($"h1: no such file: {bigRemote}-missing", missing.Error);
        Assert.Contains("h1: SCP of", missingScp.Error, StringComparison.Ordinal);
        Assert.Contains("No such file", missingScp.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(_root.GetFiles(), f => f.Name.StartsWith("big-", StringComparison.Ordinal) || f.Name.EndsWith(".part", StringComparison.Ordinal));
        Assert.Null(await FileChecksumOnHostAsync(bigRemote + "-put"));
    }

    [LabFact]
    public async Task A_changed_host_key_and_a_server_without_sftp_are_refused_naming_the_device()
    {
        lab.RequireLab();
        var pinned = new KnownHosts(HostKeyPolicy.Pinned);
        pinned.Pin("10.255.0.102", "SHA256:not-the-key");
        var factory = new DriverFactory(DriverRegistry.CreateDefault(), pinned);

        foreach (var protocol in new[] { FileTransferProtocol.Sftp, FileTransferProtocol.Scp })
        {
            var refused = await Assert.ThrowsAsync<HostKeyMismatchException>(() => factory.ConnectFileTransferAsync(LabFixture.LinuxHost(2), protocol, CancellationToken.None));
            Assert.Contains("h2", refused.Message, StringComparison.Ordinal);
        }
        var noSftp = await Assert.ThrowsAsync<DeviceConnectionException>(() =>
            lab.Factory.ConnectFileTransferAsync(LabFixture.NetconfServer(), FileTransferProtocol.Sftp, CancellationToken.None));
        Assert.StartsWith("nc-830: ", noSftp.Message, StringComparison.Ordinal);
        Assert.Contains("refused the SFTP subsystem", noSftp.Message, StringComparison.Ordinal);
    }

    /// <summary>The host's own view of a file, over a plain CLI session.</summary>
    private async Task<FileChecksum?> FileChecksumOnHostAsync(string path)
    {
        await using var driver = await lab.Factory.ConnectAsync(LabFixture.LinuxHost(1), CancellationToken.None);
        return await driver.FileChecksumAsync(path, CancellationToken.None);
    }
}
