using System.Text.Json.Nodes;
using eNMS.Core.Ansible;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Inventory;
using eNMS.Drivers;

namespace eNMS.Tests.Core.Automation;

/// <summary>Where eNMS dials a device is decided by <see cref="DeviceTargets"/> alone; every path that leaves the
/// server (SSH, ping, tcp_port, Ansible, the web terminal) gets the same answer or the same refusal.</summary>
public sealed class DeviceTargetsTests
{
    [Theory]
    [InlineData("10.255.0.11", "r1", false, "10.255.0.11", false)]
    [InlineData("", "r1.example.net", false, "r1.example.net", false)]
    [InlineData("192.0.2.10", "paris-core", false, "192.0.2.10", true)]
    [InlineData("198.51.100.7", "r2", false, "198.51.100.7", true)]
    [InlineData("203.0.113.200", "r3", false, "203.0.113.200", true)]
    [InlineData("2001:db8::1", "r4", false, "2001:db8::1", true)]
    [InlineData("", "192.0.2.44", false, "192.0.2.44", true)]
    [InlineData("192.0.2.10", "paris-core", true, "192.0.2.10", true)]
    [InlineData("10.255.0.11", "lab-sim", true, "10.255.0.11", true)]
    public void A_device_is_reached_at_its_address_else_its_name_and_never_dialled_when_simulated_or_documentation(
        string address, string name, bool simulated, string host, bool refused)
    {
        var device = new Device { Name = name, Address = address, Simulated = simulated };

        Assert.Equal(host, DeviceTargets.HostOf(device));
        Assert.Equal(refused, DeviceTargets.NetworkRefusal(device) is not null);
        if (refused)
        {
            var error = Assert.Throws<DeviceConnectionException>(() => DeviceTargets.NetworkHostOf(device));
            Assert.StartsWith($"{name}: ", error.Message, StringComparison.Ordinal);
            Assert.Contains(simulated ? "simulated" : "documentation address", error.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(host, DeviceTargets.NetworkHostOf(device));
        }
    }

    [Fact]
    public void A_simulated_target_goes_to_the_simulator_at_the_device_s_host_and_any_other_is_refused_before_a_connection()
    {
        var login = new DeviceCredential("demo", "demo-password");

        var simulated = DeviceTargets.For(new Device { Name = "paris-core", Address = "192.0.2.10", Port = 2222, Simulated = true }, login);
        Assert.True(simulated.Simulated);
        Assert.Equal(("192.0.2.10", 2222), (simulated.Host, simulated.Port));

        Assert.Throws<DeviceConnectionException>(() => DeviceTargets.For(new Device { Name = "paris-core", Address = "192.0.2.10" }, login));
    }

    [Theory]
    [InlineData("192.0.2.10")]
    [InlineData("2001:db8::1")]
    public async Task The_Ansible_inventory_refuses_a_documentation_address_exactly_as_an_SSH_session_does(string address)
    {
        var device = new Device { Id = 3, Name = "paris-core", Address = address, Platform = "cisco_ios" };

        var ansible = Assert.Throws<DeviceConnectionException>(() => AnsibleInventory.Build([device], _ => []));
        var session = Assert.Throws<DeviceConnectionException>(() => DeviceTargets.For(device, new DeviceCredential("admin", "pw")));
        // The SSH transport's own last guard, for a target built by hand, gives the same reason.
        var transport = await Assert.ThrowsAsync<DeviceConnectionException>(() =>
            new DriverFactory(DriverRegistry.CreateDefault(), new eNMS.Drivers.Cli.KnownHosts())
                .ConnectAsync(new DeviceTarget(device.Name, address, device.Platform, new DeviceCredential("admin", "pw")), CancellationToken.None));

        Assert.Contains("is a documentation address (RFC 5737/3849) and is never dialled", ansible.Message, StringComparison.Ordinal);
        Assert.Equal(session.Message, ansible.Message);
        Assert.Equal(transport.Message, ansible.Message);
    }

    [Fact]
    public void The_Ansible_inventory_refuses_a_simulated_device_since_ansible_would_dial_it_for_real()
    {
        var simulated = new Device { Id = 4, Name = "lab-sim", Address = "10.255.0.11", Platform = "frr", Simulated = true };

        var error = Assert.Throws<DeviceConnectionException>(() => AnsibleInventory.Build([simulated], _ => []));

        Assert.Contains("simulated", error.Message, StringComparison.Ordinal);
        simulated.Simulated = false;
        var real = JsonNode.Parse(AnsibleInventory.Build([simulated], _ => []))!;
        Assert.Equal("10.255.0.11", (string)real["all"]!["hosts"]!["lab-sim"]!["ansible_host"]!);
    }
}
