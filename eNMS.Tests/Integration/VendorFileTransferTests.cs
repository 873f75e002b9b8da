using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Security;
using eNMS.Drivers;
using eNMS.Tests.TestSupport;
using eNMS.Tests.TestSupport.Lab;
using Microsoft.Extensions.DependencyInjection;

// MD5 is what IOS, NX-OS, EOS and Junos print: the tests compute it to compare, as an integrity check.
#pragma warning disable CA5351

namespace eNMS.Tests.Integration;

/// <summary><c>file_transfer</c> to the emulated vendor devices (SCP, then the platform's own MD5 command), a damaged
/// copy, verification on its own, live progress, a host reached only through its gateway, and a refused write.</summary>
[Collection(LabGroup.Name)]
public sealed class VendorFileTransferTests : IAsyncLifetime
{
    private readonly LabFixture lab;
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("enms-vendor-transfer-");
    private readonly EnmsAppFactory _app;
    private AutomationClient _api = null!;

    public VendorFileTransferTests(LabFixture lab)
    {
        this.lab = lab;
        _app = new EnmsAppFactory
        {
            Settings = new Dictionary<string, string> { ["Automation:FileTransferDirectory"] = _root.FullName },
        };
    }

    public async Task InitializeAsync() => _api = new AutomationClient(await _app.CreateClientAsync("admin"));

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _root.Delete(recursive: true);
    }

    private async Task<int> DeviceAsync(DeviceTarget target, params int[] gatewayIds)
    {
        var like = DeviceTargetLike.From(target);
        var credential = await AutomationClient.Read(await _api.Http.PostAsJsonAsync("/api/credentials", new
        {
            name = $"cred-{like.Name}",
            username = like.Username,
            password = like.Password,
            enableSecret = like.EnableSecret,
        }), HttpStatusCode.Created);
        var device = await AutomationClient.Read(await _api.Http.PostAsJsonAsync("/api/devices", new
        {
            name = like.Name,
            address = like.Host,
            platform = like.Platform,
            credentialId = (int)credential["id"]!,
            gatewayIds,
        }), HttpStatusCode.Created);
        return (int)device["id"]!;
    }

    private async Task<RunResult> RunAsync(int device, object parameters)
    {
        var service = await _api.CreateServiceAsync($"transfer-{Guid.NewGuid():N}", "file_transfer", parameters);
        var run = await _api.WaitAsync(await _api.RunAsync(service, [device]), seconds: 90);
        return Assert.Single(await _api.ResultsAsync(run.Id));
    }

    private byte[] LocalFile(string relative, int size)
    {
        var bytes = RandomNumberGenerator.GetBytes(size);
        File.WriteAllBytes(Path.Combine(_root.FullName, relative), bytes);
        return bytes;
    }

    [LabFact]
    public async Task A_damaged_copy_fails_naming_the_device_the_file_the_expected_and_the_got_checksums()
    {
        lab.RequireLab();
        var target = lab.Emulated("cisco_ios");
        await lab.SetFaultAsync(target, "corrupt-scp");
        var device = await DeviceAsync(target);
        var bytes = LocalFile("image.bin", 100_000);
        var damaged = bytes.ToArray();
        damaged[^1] ^= 0xFF; // what the emulator's corrupt-scp fault does to the last byte

        var put = await RunAsync(device, new { protocol = "Scp", source = "image.bin", destination = "flash:image.bin" });

        Assert.False(put.Success);
        Assert.Equal($"{target.Name}: checksum mismatch for flash:image.bin: expected md5 {Convert.ToHexStringLower(MD5.HashData(bytes))} (the local file), " +
            $"got {Convert.ToHexStringLower(MD5.HashData(damaged))} from the device", put.Error);
    }

    [LabFact]
    public async Task Verifying_alone_names_a_missing_file_and_a_platform_without_a_checksum_command()
    {
        lab.RequireLab();
        var ios = lab.Emulated("cisco_ios");
        var iosDevice = await DeviceAsync(ios);
        var router = await DeviceAsync(LabFixture.Router(1));
        LocalFile("image.bin", 1000);

        var missing = await RunAsync(iosDevice, new { direction = "Verify", source = "image.bin", destination = "flash:image.bin" });
        var unsupported = await RunAsync(router, new { direction = "Verify", source = "image.bin", destination = "/tmp/image.bin" });

        Assert.False(missing.Success);
        Assert.Equal($"{ios.Name}: no such file: flash:image.bin", missing.Error);
        Assert.False(unsupported.Success);
        Assert.Equal("r1: checksum not supported on frr: /tmp/image.bin cannot be verified", unsupported.Error);
    }

    [LabTheory]
    [InlineData("cisco_ios", "flash:")]
    [InlineData("cisco_nxos", "bootflash:")]
    [InlineData("arista_eos", "flash:")]
    [InlineData("juniper_junos", "/var/tmp/")]
    public async Task A_put_is_verified_by_the_platforms_own_md5_command_and_again_on_its_own(string platform, string directory)
    {
        lab.RequireLab();
        var device = await DeviceAsync(lab.Emulated(platform));
        var bytes = LocalFile("image.bin", 200_000);
        var md5 = Convert.ToHexStringLower(MD5.HashData(bytes));

        var put = await RunAsync(device, new { protocol = "Scp", source = "image.bin", destination = directory + "image.bin" });
        var verified = await RunAsync(device, new { direction = "Verify", source = "image.bin", destination = directory + "image.bin" });
        LocalFile("image.bin", 200_000);
        var changed = await RunAsync(device, new { direction = "Verify", source = "image.bin", destination = directory + "image.bin" });

        Assert.True(put.Success, put.Error);
        Assert.Contains($"md5 {md5} verified", put.Output, StringComparison.Ordinal);
        Assert.True(verified.Success, verified.Error);
        Assert.False(verified.Changed);
        Assert.False(changed.Success);
        Assert.Contains($"got {md5} from the device", changed.Error, StringComparison.Ordinal);
    }

    [LabFact]
    public async Task A_large_put_is_reported_live_as_it_goes_up_to_its_total()
    {
        lab.RequireLab();
        var device = await DeviceAsync(lab.Emulated("cisco_ios"));
        const int Size = 8 * 1024 * 1024;
        LocalFile("large.bin", Size);
        var seen = new ConcurrentQueue<TransferProgressed>();
        using var subscription = _app.Services.GetRequiredService<RunNotifier>().SubscribeAll(RunEventScope.Everything, e =>
        {
            if (e is TransferProgressed progress)
            {
                seen.Enqueue(progress);
            }
            return Task.CompletedTask;
        });

        var put = await RunAsync(device, new { protocol = "Scp", source = "large.bin", destination = "flash:large.bin", verifyChecksum = false });

        Assert.True(put.Success, put.Error);
        var events = seen.ToList();
        Assert.True(events.Count >= 2, $"{events.Count} progress event(s)");
        Assert.All(events, e => Assert.Equal((long?)Size, e.Total));
        Assert.All(events, e => Assert.Equal("flash:large.bin", e.Path));
        Assert.True(events[0].Bytes < Size, "the first event comes before the end");
        Assert.Equal(Size, events[^1].Bytes);
        Assert.Equal(events.Select(e => e.Bytes).Order(), events.Select(e => e.Bytes));
    }

    [LabFact]
    public async Task A_host_reachable_only_through_its_gateway_gets_and_returns_a_file_through_it()
    {
        lab.RequireLab();
        var gateway = await DeviceAsync(LabFixture.LinuxHost(1));
        // h1's address on its link to r0: the root namespace has no route there, only h1 does.
        var inner = await DeviceAsync(LabFixture.LinuxHost(1) with { Name = "h1-inner", Host = "10.255.3.1" }, gateway);
        var bytes = LocalFile("through.bin", 50_000);
        var remote = $"enms-through-{Guid.NewGuid():N}.bin";

        var put = await RunAsync(inner, new { source = "through.bin", destination = remote });
        var got = await RunAsync(inner, new { direction = "Get", source = remote, destination = "through-back.bin" });

        Assert.True(put.Success, put.Error);
        Assert.Contains($"sha256 {Convert.ToHexStringLower(SHA256.HashData(bytes))} verified", put.Output, StringComparison.Ordinal);
        Assert.True(got.Success, got.Error);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(_root.FullName, "through-back.bin")));
    }

    [LabTheory]
    [InlineData("Sftp")]
    [InlineData("Scp")]
    public async Task A_put_where_the_login_may_not_write_fails_naming_the_device_and_the_path(string protocol)
    {
        lab.RequireLab();
        var host = await DeviceAsync(LabFixture.LinuxHost(2));
        LocalFile("denied.bin", 100);

        var put = await RunAsync(host, new { protocol, source = "denied.bin", destination = "/etc/enms-denied.bin", overwrite = "Always" });

        Assert.False(put.Success);
        Assert.Contains("h2: ", put.Error, StringComparison.Ordinal);
        Assert.Contains("/etc/enms-denied.bin", put.Error, StringComparison.Ordinal);
        Assert.Contains("ermission denied", put.Error, StringComparison.Ordinal);
    }
}
