using eNMS.Drivers;
using eNMS.Drivers.Cli;
using eNMS.Drivers.Platforms;

namespace eNMS.Tests.Drivers;

public class DriverContractTests
{
    [Fact]
    public void Registry_maps_netmiko_platform_keys_to_drivers()
    {
        var registry = DriverRegistry.CreateDefault();

        Assert.Equal(["arista_eos", "aruba_aoscx", "cisco_asa", "cisco_ios", "cisco_nxos", "cisco_xr", "dell_os10", "extreme_exos", "fortinet", "frr", "hp_comware", "hp_procurve", "huawei",
            "juniper_junos", "linux", "mikrotik_routeros", "nokia_sros", "paloalto_panos", "ubiquiti_edge", "vyos"], registry.Platforms.Order());
        Assert.IsType<AristaEosDriver>(registry.Create(new CliSession(new ScriptedShell(), FakeCli.Target("arista_eos"))));
    }

    [Fact]
    public void An_unknown_platform_is_refused_with_the_known_ones_listed()
    {
        var error = Assert.Throws<NotSupportedException>(() =>
            DriverRegistry.CreateDefault().Create(new CliSession(new ScriptedShell(), FakeCli.Target("cisco_wlc"))));

        Assert.Contains("'cisco_wlc'", error.Message, StringComparison.Ordinal);
        Assert.Contains("cisco_ios", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operation_outside_the_capabilities_says_which_capability_is_missing()
    {
        var driver = DriverRegistry.CreateDefault().Create(new CliSession(new ScriptedShell(), FakeCli.Target("linux")));

        Assert.Equal(DriverCapabilities.Commands, driver.Capabilities);
        var error = await Assert.ThrowsAsync<NotSupportedException>(() => driver.LoadCandidateAsync("x", ConfigLoadMode.Replace, CancellationToken.None));
        Assert.Contains("does not support ConfigReplace", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_device_error_names_its_device_and_shares_one_base_type()
    {
        DeviceException[] errors =
        [
            new DeviceCommandException("sw1", "show x", "% Invalid input detected at '^' marker."),
            new DeviceTimeoutException("sw1", "silent"),
            new DeviceAuthenticationException("sw1", "refused"),
            new HostKeyMismatchException("sw1", "SHA256:old", "SHA256:new"),
            new DeviceConnectionException("sw1", "refused"),
        ];

        Assert.All(errors, e => Assert.StartsWith("sw1: ", e.Message, StringComparison.Ordinal));
        Assert.Contains("expected SHA256:old, got SHA256:new", errors[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_credential_never_prints_its_secrets()
    {
        var target = FakeCli.Target();

        Assert.DoesNotContain("s3cret-pass", target.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("en-secret-42", target.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Trust_on_first_use_records_the_first_key_and_refuses_a_changed_one()
    {
        var known = new KnownHosts();

        Assert.Null(known.Check("10.0.0.1", "SHA256:aaa"));
        Assert.Null(known.Check("10.0.0.1", "SHA256:aaa"));
        Assert.Equal("SHA256:aaa", known.Check("10.0.0.1", "SHA256:bbb"));
    }

    [Fact]
    public void Pinned_policy_refuses_unknown_devices()
    {
        var known = new KnownHosts(HostKeyPolicy.Pinned);
        known.Pin("[127.0.0.2]:2222", "SHA256:aaa");

        Assert.Null(known.Check("[127.0.0.2]:2222", "SHA256:aaa"));
        Assert.Equal("", known.Check("127.0.0.3", "SHA256:aaa"));
    }
}
