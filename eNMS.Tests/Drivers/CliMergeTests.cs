using eNMS.Drivers.Config;

namespace eNMS.Tests.Drivers;

/// <summary>The NX-OS diff: what the typed lines would do to the running configuration, as a real diff of the two.</summary>
public class CliMergeTests
{
    private const string Running = "hostname nxos-1\ninterface Ethernet1/1\n description mgmt\n ip address 192.0.2.1/24\ninterface Ethernet1/2\n shutdown\n";

    private static string DiffOf(string typed)
    {
        var running = ConfigTree.Parse(Running);
        return ConfigTree.Diff(running, CliMerge.Apply(running, ConfigTree.Parse(typed)));
    }

    [Fact]
    public void A_new_hostname_shows_the_old_one_removed()
    {
        Assert.Equal("- hostname nxos-1\n+ hostname new", DiffOf("hostname new"));
    }

    [Fact]
    public void A_no_line_shows_as_the_removal_of_what_it_removes()
    {
        Assert.Equal("  interface Ethernet1/1\n-  description mgmt\n  interface Ethernet1/2\n-  shutdown",
            DiffOf("interface Ethernet1/1\n no description\ninterface Ethernet1/2\n no shutdown"));
    }

    [Fact]
    public void Single_valued_settings_replace_and_others_add()
    {
        Assert.Equal("  interface Ethernet1/1\n-  description mgmt\n+  description uplink\n+  mtu 9216\n+ ip route 203.0.113.0/24 Null0",
            DiffOf("interface Ethernet1/1\n description uplink\n mtu 9216\nip route 203.0.113.0/24 Null0"));
        Assert.Equal("", DiffOf("interface Ethernet1/1\n description mgmt"));
    }
}
