using System.Diagnostics;
using eNMS.Drivers;
using eNMS.Drivers.Cli;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Drivers.Conformance;

/// <summary>Each emulator fault mode gives the right typed error within its timeout; nothing is left behind.</summary>
[Collection(LabGroup.Name)]
public class FaultConformanceTests(LabFixture lab)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly string[] Platforms = ["cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos"];

    private DeviceTarget Device(string platform = "cisco_ios", double readSeconds = 10) =>
        lab.Emulated(platform, t => t with { Read = TimeSpan.FromSeconds(readSeconds) });

    [LabFact]
    public async Task Slow_output_still_arrives_whole()
    {
        lab.RequireLab();
        var target = Device();
        await lab.SetFaultAsync(target, "slow");

        await using var driver = await lab.Factory.ConnectAsync(target, None);

        Assert.Equal(PlatformCase.Ios.ExpectedOutput, await driver.SendCommandAsync("show clock", None));
    }

    [LabFact]
    public async Task A_connection_dropped_mid_output_is_a_connection_error()
    {
        lab.RequireLab();
        var target = Device();
        await lab.SetFaultAsync(target, "drop");
        await using var driver = await lab.Factory.ConnectAsync(target, None);

        var error = await Assert.ThrowsAsync<DeviceConnectionException>(() => driver.GetRunningConfigAsync(None));

        Assert.Equal(target.Name, error.Device);
    }

    [LabFact]
    public async Task A_hung_device_times_out_within_the_read_timeout()
    {
        lab.RequireLab();
        var target = Device(readSeconds: 1);
        await lab.SetFaultAsync(target, "hang");
        await using var driver = await lab.Factory.ConnectAsync(target, None);
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<DeviceTimeoutException>(() => driver.SendCommandAsync("show running-config", None));

        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 5);
    }

    [LabFact]
    public async Task A_refused_login_is_an_authentication_error()
    {
        lab.RequireLab();

        await Assert.ThrowsAsync<DeviceAuthenticationException>(() => lab.Factory.ConnectAsync(lab.Emulated("denied"), None));
        var wrong = lab.Emulated("cisco_ios") with { Credential = new DeviceCredential("enmslab", "wrong-password") };
        await Assert.ThrowsAsync<DeviceAuthenticationException>(() => lab.Factory.ConnectAsync(wrong, None));
    }

    [LabFact]
    public async Task A_wrong_enable_secret_is_an_authentication_error()
    {
        lab.RequireLab();
        var target = lab.Emulated("cisco_ios");
        target = target with { Credential = target.Credential with { EnableSecret = "not-the-secret" } };

        var error = await Assert.ThrowsAsync<DeviceAuthenticationException>(() => lab.Factory.ConnectAsync(target, None));

        Assert.Contains("enable refused", error.Message, StringComparison.Ordinal);
    }

    [LabFact]
    public async Task A_late_banner_is_waited_for_but_not_beyond_the_read_timeout()
    {
        lab.RequireLab();
        var patient = Device(readSeconds: 6);
        await lab.SetFaultAsync(patient, "banner-delay");
        await using (var driver = await lab.Factory.ConnectAsync(patient, None))
        {
            Assert.Equal(PlatformCase.Ios.ExpectedOutput, await driver.SendCommandAsync("show clock", None));
        }

        var impatient = Device(readSeconds: 1);
        await lab.SetFaultAsync(impatient, "banner-delay");
        await Assert.ThrowsAsync<DeviceTimeoutException>(() => lab.Factory.ConnectAsync(impatient, None));
    }

    [LabFact]
    public async Task Junk_bytes_do_not_break_the_session()
    {
        lab.RequireLab();
        var target = Device();
        await lab.SetFaultAsync(target, "junk");
        await using var driver = await lab.Factory.ConnectAsync(target, None);

        var output = await driver.SendCommandAsync("show clock", None);

        Assert.StartsWith(PlatformCase.Ios.ExpectedOutput, output, StringComparison.Ordinal);
        Assert.Contains("garbage", output, StringComparison.Ordinal);
        Assert.Equal(PlatformCase.Ios.ExpectedOutput.Length, (await driver.SendCommandAsync("show clock", None)).Split('\n')[0].Length);
    }

    [LabFact]
    public async Task A_changed_host_key_is_refused_naming_both_fingerprints()
    {
        lab.RequireLab();
        var target = lab.Emulated("cisco_ios");
        var known = new KnownHosts(HostKeyPolicy.Pinned);
        known.Pin(KnownHosts.KeyFor(target.Host, target.Port), "SHA256:not-the-real-key");
        var factory = new DriverFactory(DriverRegistry.CreateDefault(), known);

        var error = await Assert.ThrowsAsync<HostKeyMismatchException>(() => factory.ConnectAsync(target, None));

        Assert.Equal("SHA256:not-the-real-key", error.ExpectedFingerprint);
        Assert.StartsWith("SHA256:", error.ActualFingerprint, StringComparison.Ordinal);
        Assert.Contains(target.Name, error.Message, StringComparison.Ordinal);
    }

    [LabFact]
    public async Task Private_key_login_and_a_jump_host_both_reach_the_device()
    {
        lab.RequireLab();
        var key = await File.ReadAllTextAsync(lab.PrivateKeyPath);
        var target = lab.Emulated("cisco_ios");
        var jump = lab.Emulated("cisco_ios");
        target = target with
        {
            Credential = target.Credential with { Password = null, PrivateKey = key },
            Jump = new JumpHost(jump.Host, new DeviceCredential("enmslab", LabFixture.Password)),
        };

        await using var driver = await lab.Factory.ConnectAsync(target, None);

        Assert.Equal(PlatformCase.Ios.ExpectedOutput, await driver.SendCommandAsync("show clock", None));
    }

    [LabFact]
    public async Task Paging_left_on_is_answered_and_a_connection_serves_many_commands()
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(lab.Emulated("cisco_ios"), None);
        await driver.SendCommandAsync("terminal length 24", None);

        var log = await driver.SendCommandAsync("show logging", None);

        Assert.Equal(60, log.Split('\n').Length);
        Assert.DoesNotContain("More", log, StringComparison.Ordinal);
        var outputs = await driver.SendCommandsAsync(Enumerable.Repeat("show clock", 30), None);
        Assert.All(outputs, o => Assert.Equal(PlatformCase.Ios.ExpectedOutput, o.Output));
    }

    [LabFact]
    public async Task A_hundred_and_twenty_devices_behind_one_sshd_answer_and_leave_no_session_behind()
    {
        lab.RequireLab();
        var targets = Enumerable.Range(0, 120).Select(i => lab.Emulated(Platforms[i % 4])).ToList();

        var outputs = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(targets, new ParallelOptions { MaxDegreeOfParallelism = 20 }, async (target, ct) =>
        {
            await using var driver = await lab.Factory.ConnectAsync(target, ct);
            outputs.Add(await driver.SendCommandAsync(PlatformCase.For(target.Platform).Command, ct));
        });

        Assert.Equal(120, outputs.Count);
        var clock = Stopwatch.StartNew();
        while (await lab.EmulatorSessionsAsync() > 0 && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(200);
        }
        Assert.Equal(0, await lab.EmulatorSessionsAsync());
    }
}
