using System.Reflection;
using System.Text.RegularExpressions;
using eNMS.Drivers;
using eNMS.Drivers.Cli;
using eNMS.Drivers.Platforms;
using eNMS.Drivers.Platforms.Profiles;

namespace eNMS.Tests.Drivers;

/// <summary>A platform is its profile: names resolve to it, and a profile alone drives a device.</summary>
public class PlatformProfileTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory]
    [InlineData("cisco_ios", "cisco_ios")]
    [InlineData("cisco_xe", "cisco_ios")]
    [InlineData("CISCO_XE", "cisco_ios")]
    [InlineData("cisco_ios_ssh", "cisco_ios")]
    [InlineData("cisco_xe_ssh", "cisco_ios")]
    [InlineData("cisco_ios_telnet", "cisco_ios")]
    [InlineData("cisco_xe_telnet", "cisco_ios")]
    [InlineData("juniper", "juniper_junos")]
    [InlineData("juniper_junos_telnet", "juniper_junos")]
    [InlineData("arista_eos_ssh", "arista_eos")]
    [InlineData(" cisco_nxos ", "cisco_nxos")]
    [InlineData("generic", "linux")]
    [InlineData("iosxr", "cisco_xr")]
    [InlineData("ios-xr", "cisco_xr")]
    [InlineData("cisco_xr_ssh", "cisco_xr")]
    [InlineData("cisco_xr_telnet", "cisco_xr")]
    [InlineData("iosxr_telnet", "cisco_xr")]
    [InlineData("cisco_asa_ssh", "cisco_asa")]
    [InlineData("cisco_asa_telnet", "cisco_asa")]
    [InlineData("vyatta_vyos", "vyos")]
    [InlineData("brocade_vyos", "vyos")]
    [InlineData("vyos_ssh", "vyos")]
    [InlineData("huawei_vrp", "huawei")]
    [InlineData("huawei_telnet", "huawei")]
    [InlineData("h3c_comware", "hp_comware")]
    [InlineData("hp_comware_telnet", "hp_comware")]
    [InlineData("aruba_aoscx_ssh", "aruba_aoscx")]
    [InlineData("aruba_osswitch", "hp_procurve")]
    [InlineData("aruba_procurve_telnet", "hp_procurve")]
    [InlineData("hp_procurve_telnet", "hp_procurve")]
    [InlineData("dell_os10_ssh", "dell_os10")]
    [InlineData("ubiquiti_edgeswitch", "ubiquiti_edge")]
    [InlineData("fortinet_ssh", "fortinet")]
    [InlineData("fortinet_telnet", "fortinet")]
    [InlineData("paloalto_panos_ssh", "paloalto_panos")]
    [InlineData("paloalto_panos_telnet", "paloalto_panos")]
    [InlineData("mikrotik_routeros_ssh", "mikrotik_routeros")]
    [InlineData("mikrotik_routeros_telnet", "mikrotik_routeros")]
    [InlineData("nokia_sros_ssh", "nokia_sros")]
    [InlineData("nokia_sros_telnet", "nokia_sros")]
    [InlineData("extreme", "extreme_exos")]
    [InlineData("extreme_exos_ssh", "extreme_exos")]
    [InlineData("extreme_exos_telnet", "extreme_exos")]
    public void Netmiko_keys_aliases_and_their_ssh_and_telnet_variants_resolve_to_one_profile(string name, string key)
    {
        Assert.Equal(key, DriverRegistry.CreateDefault().Find(name)?.Key);
    }

    [Theory]
    [InlineData("huawei_vrpv8")]
    [InlineData("cisco_wlc")]
    [InlineData("aruba_os")]
    [InlineData("_telnet")]
    [InlineData("_ssh")]
    [InlineData("cisco_ios_telnet_ssh")]
    [InlineData("ios")]
    public void Names_of_no_platform_here_resolve_to_none(string name)
    {
        Assert.Null(DriverRegistry.CreateDefault().Find(name));
    }

    [Theory]
    [InlineData("ios", "cisco_ios")]
    [InlineData("IOS", "cisco_ios")]
    [InlineData("nxos", "cisco_nxos")]
    [InlineData("nxos_ssh", "cisco_nxos")]
    [InlineData("eos", "arista_eos")]
    [InlineData("junos", "juniper_junos")]
    [InlineData("iosxr", "cisco_xr")]
    [InlineData("vyos", "vyos")]
    [InlineData("huawei_vrp", "huawei")]
    [InlineData("aoscx", "aruba_aoscx")]
    [InlineData("procurve", "hp_procurve")]
    [InlineData("dellos10", "dell_os10")]
    [InlineData("fortios", "fortinet")]
    [InlineData("panos", "paloalto_panos")]
    [InlineData("ros", "mikrotik_routeros")]
    [InlineData("sros", "nokia_sros")]
    [InlineData("ios-xr", null)]
    [InlineData("cisco_ios", null)]
    public void Napalm_driver_names_resolve_to_their_profile(string driver, string? key)
    {
        Assert.Equal(key, DriverRegistry.CreateDefault().FindByNapalmDriver(driver)?.Key);
    }

    [Fact]
    public void A_device_whose_platform_is_an_alias_gets_that_platforms_driver()
    {
        var registry = DriverRegistry.CreateDefault();

        var driver = registry.Create(new CliSession(new ScriptedShell(), FakeCli.Target("cisco_xe_telnet")));

        Assert.IsType<CiscoIosDriver>(driver);
        Assert.Same(PlatformProfiles.CiscoIos, driver.Platform);
    }

    [Fact]
    public void A_name_two_profiles_claim_is_refused()
    {
        var registry = DriverRegistry.CreateDefault();

        var alias = Assert.Throws<ArgumentException>(() => registry.Add(new PlatformProfile { Key = "cisco_iosxe", Aliases = ["cisco_xe"] }));
        var napalm = Assert.Throws<ArgumentException>(() => registry.Add(new PlatformProfile { Key = "cisco_iosxe", NapalmDrivers = ["ios"] }));
        var variant = Assert.Throws<ArgumentException>(() => registry.Add(new PlatformProfile { Key = "vendor_telnet" }));

        Assert.Contains("'cisco_xe' of 'cisco_iosxe' is already 'cisco_ios''s", alias.Message, StringComparison.Ordinal);
        Assert.Contains("'ios' of 'cisco_iosxe' is already 'cisco_ios''s", napalm.Message, StringComparison.Ordinal);
        Assert.Contains("_telnet variants", variant.Message, StringComparison.Ordinal);
        Assert.Null(registry.Find("cisco_iosxe"));
    }

    [Fact]
    public void Every_profile_in_the_profiles_folder_is_registered()
    {
        var declared = typeof(PlatformProfiles).GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(PlatformProfile))
            .Select(p => ((PlatformProfile)p.GetValue(null)!).Key);

        Assert.Equal(declared.Order(StringComparer.Ordinal), DriverRegistry.CreateDefault().Platforms.Order(StringComparer.Ordinal));
    }

    /// <summary>An ASA-like CLI no driver class knows: everything it needs is in the profile.</summary>
    private static readonly PlatformProfile ProfileOnly = new()
    {
        Key = "vendor_fw",
        Cli = CliProfile.Default with
        {
            SessionSetup = ["terminal pager 0"],
            ConfigEnter = "configure",
            ConfigExit = "exit",
            Error = new(@"^ERROR: [^\n]*", RegexOptions.Multiline | RegexOptions.CultureInvariant),
        },
        RunningConfigCommand = "show config",
        RunningConfigHeader = new(@"^: Saved", RegexOptions.CultureInvariant),
    };

    private static FakeCli VendorFw()
    {
        var cli = new FakeCli("fw1# ");
        cli.Outputs["terminal pager 0"] = "";
        cli.Outputs["show config"] = ": Saved\n\nhostname fw1\ninterface e0\n nameif outside";
        cli.Outputs["logging enable"] = "";
        cli.Outputs["bogus line"] = "ERROR: % Unrecognized command";
        cli.Custom["configure"] = () =>
        {
            cli.Prompt = "fw1(config)# ";
            return "configure\r\nfw1(config)# ";
        };
        cli.Custom["exit"] = () =>
        {
            cli.Prompt = "fw1# ";
            return "exit\r\nfw1# ";
        };
        return cli;
    }

    private static async Task<IDeviceDriver> ConnectAsync(FakeCli cli)
    {
        var factory = new DriverFactory(new DriverRegistry().Add(ProfileOnly), new KnownHosts())
        {
            OpenShell = (_, _) => Task.FromResult<IShell>(cli.Shell),
        };
        return await factory.ConnectAsync(FakeCli.Target("vendor_fw"), None);
    }

    [Fact]
    public async Task A_platform_with_only_a_profile_is_driven_by_its_paging_config_mode_errors_and_running_config()
    {
        var cli = VendorFw();
        await using var driver = await ConnectAsync(cli);

        await driver.SendConfigAsync(["logging enable"], None);
        var config = await driver.GetRunningConfigAsync(None);
        var refused = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync(["bogus line"], None));

        Assert.Equal(typeof(CliDriver), driver.GetType());
        Assert.Equal(["", "terminal pager 0", "configure", "logging enable", "exit", "show config", "configure", "bogus line", "exit"], cli.Shell.Lines);
        Assert.Equal("hostname fw1\ninterface e0\n nameif outside", config);
        Assert.Contains("ERROR: % Unrecognized command", refused.Message, StringComparison.Ordinal);
        Assert.Equal("fw1# ", cli.Prompt);
    }

    [Theory]
    [InlineData("vendor_opts", "admin", "admin+ct511w4098h")]
    [InlineData("vendor_opts", "admin+cte", "admin+cte")]
    [InlineData("vendor_fw", "admin", "admin")]
    public async Task A_login_suffix_goes_on_the_user_name_unless_it_carries_options_of_its_own(string platform, string user, string dialled)
    {
        var seen = new List<string>();
        var registry = new DriverRegistry().Add(ProfileOnly).Add(ProfileOnly with { Key = "vendor_opts", LoginSuffix = "+ct511w4098h" });
        var factory = new DriverFactory(registry, new KnownHosts())
        {
            OpenShell = (target, _) =>
            {
                seen.Add(target.Credential.Username);
                return Task.FromResult<IShell>(VendorFw().Shell);
            },
        };
        var target = FakeCli.Target(platform);

        await using var driver = await factory.ConnectAsync(target with { Credential = target.Credential with { Username = user } }, None);

        Assert.Equal([dialled], seen);
        Assert.Equal(user, driver.Target.Credential.Username);
    }

    [Fact]
    public async Task A_profile_without_a_candidate_or_config_refuses_them_naming_the_capability()
    {
        var cli = VendorFw();
        await using var driver = await ConnectAsync(cli);
        var factory = new DriverFactory(new DriverRegistry().Add(ProfileOnly with { Key = "vendor_shell", Capabilities = DriverCapabilities.Commands, CommitModel = CommitModel.None }), new KnownHosts())
        {
            OpenShell = (_, _) => Task.FromResult<IShell>(VendorFw().Shell),
        };
        await using var shellOnly = await factory.ConnectAsync(FakeCli.Target("vendor_shell"), None);

        var candidate = await Assert.ThrowsAsync<NotSupportedException>(() => driver.LoadCandidateAsync("x", ConfigLoadMode.Merge, None));
        var config = await Assert.ThrowsAsync<NotSupportedException>(() => shellOnly.SendConfigAsync(["logging enable"], None));
        var running = await Assert.ThrowsAsync<NotSupportedException>(() => shellOnly.GetRunningConfigAsync(None));
        var checksum = await Assert.ThrowsAsync<NotSupportedException>(() => driver.FileChecksumAsync("flash:x.bin", None));

        Assert.Contains("does not support ConfigMerge", candidate.Message, StringComparison.Ordinal);
        Assert.Contains("does not support Config;", config.Message, StringComparison.Ordinal);
        Assert.Contains("does not support Config;", running.Message, StringComparison.Ordinal);
        Assert.Contains("checksum not supported on vendor_fw", checksum.Message, StringComparison.Ordinal);
    }
}
