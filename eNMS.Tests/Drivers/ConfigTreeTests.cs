using eNMS.Drivers.Config;

namespace eNMS.Tests.Drivers;

public class ConfigTreeTests
{
    private const string Running = """
        frr version 8.4
        hostname r1
        !
        interface eth1
         ip address 10.0.0.1/30
         ip ospf cost 10
        exit
        !
        router ospf
         ospf router-id 1.1.1.1
         network 10.0.0.0/30 area 0
        exit
        !
        ip route 192.0.2.0/24 Null0
        end
        """;

    private const string Candidate = """
        hostname r1
        interface eth1
         ip address 10.0.0.1/30
        router ospf
         ospf router-id 1.1.1.1
         network 10.0.0.0/30 area 0
         network 10.9.0.0/24 area 0
        ip route 198.51.100.0/24 Null0
        """;

    private static IReadOnlyList<ConfigNode> Parse(string text) =>
        ConfigTree.Parse(text, l => l.StartsWith("frr version", StringComparison.Ordinal));

    [Fact]
    public void Diff_shows_removed_and_added_lines_under_their_section()
    {
        var diff = ConfigTree.Diff(Parse(Running), Parse(Candidate));

        Assert.Equal("""
            - ip route 192.0.2.0/24 Null0
              interface eth1
            -  ip ospf cost 10
              router ospf
            +  network 10.9.0.0/24 area 0
            + ip route 198.51.100.0/24 Null0
            """.ReplaceLineEndings("\n"), diff);
    }

    [Fact]
    public void Equal_configurations_have_an_empty_diff_whatever_the_comments()
    {
        Assert.Equal("", ConfigTree.Diff(Parse(Running), Parse(Running.Replace("!\n", "", StringComparison.Ordinal))));
    }

    [Fact]
    public void Replace_commands_negate_removals_inside_their_section_then_add()
    {
        var commands = ConfigTree.ReplaceCommands(Parse(Running), Parse(Candidate), l => "no " + l);

        Assert.Equal(
        [
            "interface eth1", "no ip ospf cost 10", "exit",
            "no ip route 192.0.2.0/24 Null0",
            "router ospf", "network 10.9.0.0/24 area 0", "exit",
            "ip route 198.51.100.0/24 Null0",
        ], commands);
    }

    [Fact]
    public void Merge_adds_children_to_existing_sections_without_duplicates()
    {
        var merged = ConfigTree.Merge(Parse(Running), Parse("router ospf\n network 10.9.0.0/24 area 0\n"));

        var ospf = Assert.Single(merged, n => n.Line == "router ospf");
        Assert.Equal(3, ospf.Children.Count);
        Assert.Equal(Parse(Running).Count, merged.Count);
    }
}
