using eNMS.Drivers;
using eNMS.Drivers.Cli;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Drivers.Conformance;

/// <summary>Jump hosts (eNMS gateways): router r0 sits on a network only Linux host h1 reaches; the root namespace
/// has an unreachable route to it, so a direct dial fails at once and nothing leaves the machine.</summary>
[Collection(LabGroup.Name)]
public sealed class GatewayConformanceTests(LabFixture lab)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [LabTheory]
    [InlineData(CliTransport.Ssh, 22)]
    [InlineData(CliTransport.Telnet, 23)]
    public async Task A_router_reachable_only_through_a_linux_host_answers_through_it(CliTransport transport, int port)
    {
        lab.RequireLab();
        var router = LabFixture.RouterBehindGateway() with { Transport = transport, Port = port };

        var direct = await Assert.ThrowsAsync<DeviceConnectionException>(() => lab.Factory.ConnectAsync(router, None));
        await using var driver = await lab.Factory.ConnectAsync(router with { Jump = LabFixture.Gateway() }, None);

        Assert.Equal("r0", direct.Device);
        Assert.Equal(await lab.VtyshAsync(0, "show version"), await driver.SendCommandAsync("show version", None));
        Assert.Contains("ip route 198.51.100.0/24 Null0", await driver.GetRunningConfigAsync(None), StringComparison.Ordinal);
        Assert.DoesNotContain(LabFixture.Password, driver.Transcript, StringComparison.Ordinal);
    }

    [LabFact]
    public async Task Both_hops_host_keys_are_learned_and_each_is_checked()
    {
        lab.RequireLab();
        var router = LabFixture.RouterBehindGateway() with { Jump = LabFixture.Gateway() };
        var learned = new KnownHosts();
        await using (var first = await new DriverFactory(DriverRegistry.CreateDefault(), learned).ConnectAsync(router, None))
        {
            await first.SendCommandAsync("show version", None);
        }
        Assert.StartsWith("SHA256:", learned.Entries["10.255.0.101"], StringComparison.Ordinal);
        Assert.StartsWith("SHA256:", learned.Entries["10.255.3.10"], StringComparison.Ordinal);
        Assert.NotEqual(learned.Entries["10.255.0.101"], learned.Entries["10.255.3.10"]);

        foreach (var (hop, other) in new[] { ("10.255.0.101", "10.255.3.10"), ("10.255.3.10", "10.255.0.101") })
        {
            var pinned = new KnownHosts(HostKeyPolicy.Pinned);
            pinned.Pin(other, learned.Entries[other]);
            pinned.Pin(hop, "SHA256:not-the-real-key");

            var error = await Assert.ThrowsAsync<HostKeyMismatchException>(() =>
                new DriverFactory(DriverRegistry.CreateDefault(), pinned).ConnectAsync(router, None));

            Assert.Equal(learned.Entries[hop], error.ActualFingerprint);
            Assert.StartsWith(hop == "10.255.0.101" ? "r0 (jump host 10.255.0.101): host key changed" : "r0: host key changed",
                error.Message, StringComparison.Ordinal);
        }
    }

    [LabFact]
    public async Task An_unreachable_gateway_gives_way_to_the_next_and_a_refused_key_does_not()
    {
        lab.RequireLab();
        var router = LabFixture.RouterBehindGateway() with
        {
            Jump = LabFixture.Gateway(port: 2223), // nothing listens there: refused at once
            FallbackJumps = [LabFixture.Gateway()],
        };

        await using (var driver = await lab.Factory.ConnectAsync(router, None))
        {
            Assert.Equal(await lab.VtyshAsync(0, "show version"), await driver.SendCommandAsync("show version", None));
        }
        var none = await Assert.ThrowsAsync<DeviceConnectionException>(() =>
            lab.Factory.ConnectAsync(router with { FallbackJumps = [LabFixture.Gateway(port: 2224)] }, None));
        Assert.Contains("also tried through 10.255.0.101", none.Message, StringComparison.Ordinal);

        var pinned = new KnownHosts(HostKeyPolicy.Pinned);
        pinned.Pin("[10.255.0.101]:2222", "SHA256:not-the-real-key");
        await Assert.ThrowsAsync<HostKeyMismatchException>(() => new DriverFactory(DriverRegistry.CreateDefault(), pinned)
            .ConnectAsync(router with { Jump = LabFixture.Gateway(port: 2222) }, None));
    }
}
