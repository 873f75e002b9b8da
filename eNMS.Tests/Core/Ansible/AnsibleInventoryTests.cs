using System.Text.Json.Nodes;
using eNMS.Core.Ansible;
using eNMS.Core.Configurations;
using eNMS.Core.Inventory;
using eNMS.Core.Text;

namespace eNMS.Tests.Core.Ansible;

public sealed class AnsibleInventoryTests
{
    [Fact]
    public void The_inventory_maps_platforms_pools_and_properties_and_holds_no_secret()
    {
        var router = new Device { Id = 7, Name = "r1", Address = "10.255.0.11", Platform = "frr", CustomProperties = [new CustomProperty { Name = "site code", Value = "par-1" }] };
        var host = new Device { Id = 8, Name = "h1", Address = "10.255.0.101", Port = 2200, Platform = "linux" };

        var inventory = JsonNode.Parse(AnsibleInventory.Build([router, host], d => d.Name == "r1" ? ["Core routers"] : []))!;

        var r1 = inventory["all"]!["hosts"]!["r1"]!;
        Assert.Equal("ansible.netcommon.network_cli", (string)r1["ansible_connection"]!);
        Assert.Equal("frr.frr.frr", (string)r1["ansible_network_os"]!);
        Assert.Equal("par-1", (string)r1["site_code"]!);
        Assert.Equal("10.255.0.11", (string)r1["enms_address"]!);
        var h1 = inventory["all"]!["hosts"]!["h1"]!;
        Assert.Equal("paramiko", (string)h1["ansible_connection"]!);
        Assert.Equal(2200, (int)h1["ansible_port"]!);
        var groups = inventory["all"]!["children"]!.AsObject();
        Assert.NotNull(groups["pool_core_routers"]!["hosts"]!["r1"]);
        Assert.NotNull(groups["platform_linux"]!["hosts"]!["h1"]);
        Assert.DoesNotContain("password", inventory.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_telnet_device_or_one_behind_a_gateway_is_refused_naming_it_and_why()
    {
        var telnet = new Device { Id = 9, Name = "old-switch", Address = "10.255.0.50", Port = 23, Platform = "cisco_ios", Transport = "telnet" };
        var behind = new Device { Id = 10, Name = "r0", Address = "10.255.3.10", Platform = "frr", Gateways = [new DeviceGateway { GatewayId = 8 }] };

        var overTelnet = Assert.Throws<eNMS.Drivers.DeviceConnectionException>(() => AnsibleInventory.Build([telnet], _ => []));
        var throughGateway = Assert.Throws<eNMS.Drivers.DeviceConnectionException>(() => AnsibleInventory.Build([behind], _ => []));

        Assert.StartsWith("old-switch: Ansible reaches devices over SSH only", overTelnet.Message, StringComparison.Ordinal);
        Assert.Contains("reached over Telnet", overTelnet.Message, StringComparison.Ordinal);
        Assert.StartsWith("r0: this device is reached through a gateway", throughGateway.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("- hosts: all\n  tasks: []\n", null)]
    [InlineData("hosts: all\n", "list of plays")]
    [InlineData("- tasks: []\n", "Line 1: the play has no 'hosts'")]
    [InlineData("- hosts: all\n  tasks: [\n", "Line ")]
    public void A_playbook_is_validated_with_the_line_of_its_problem(string yaml, string? problem)
    {
        var found = PlaybookLibrary.Validate(yaml);
        if (problem is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.Contains(problem, found, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Side_by_side_rows_pair_a_changed_line_and_number_both_sides()
    {
        var rows = SideBySideDiff.Rows("a\nb\nc", "a\nB\nc\nd");

        Assert.Equal([(2, "b", 2, "B"), (null, null, 4, "d")],
            rows.Where(r => r.Left != r.Right).Select(r => (r.LeftNumber, r.Left, r.RightNumber, r.Right)).ToList());
    }

    [Fact]
    public void Compliance_rules_name_what_is_missing()
    {
        Assert.Contains("choose a pool or a platform", ComplianceRules.Problem(new ComplianceRule { Name = "x", Template = "a" }), StringComparison.Ordinal);
        Assert.Null(ComplianceRules.Problem(new ComplianceRule { Name = "x", Platform = "frr", Template = "hostname {{ device.name }}" }));
    }
}
