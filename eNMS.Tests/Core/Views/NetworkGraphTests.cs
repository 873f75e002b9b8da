using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Views;
using eNMS.Tests.TestSupport;

namespace eNMS.Tests.Core.Views;

public sealed class NetworkGraphTests
{
    [Fact]
    public async Task The_payload_holds_only_devices_in_scope_links_between_them_and_each_device_last_run_status()
    {
        using var database = new TestDatabase();
        var (a, b, c, d) = (new Device { Name = "a", Latitude = 48.85, Longitude = 2.35 }, new Device { Name = "b" }, new Device { Name = "c" }, new Device { Name = "d" });
        var scope = new Pool { Name = "scope", Mode = PoolMode.Manual, Devices = [a, b, c] };
        await using (var db = database.CreateDbContext())
        {
            db.AddRange(a, b, c, d, scope);
            db.Links.AddRange(new Link { Name = "a-b", Source = a, Destination = b, SourceInterface = "Gi0/1", DestinationInterface = "eth3" }, new Link { Name = "c-d", Source = c, Destination = d });
            await db.SaveChangesAsync();
            var older = new Run { ServiceName = "s", Status = RunStatus.Failed };
            var newer = new Run { ServiceName = "s", Status = RunStatus.Completed };
            var running = new Run { ServiceName = "s", Status = RunStatus.Running, DeviceIds = [c.Id] };
            db.Runs.AddRange(older, newer, running);
            await db.SaveChangesAsync();
            db.RunResults.AddRange(
                // a failed once, then succeeded in a later run; b's latest run has one failed node among successes.
                new RunResult { RunId = older.Id, DeviceId = a.Id, Success = false },
                new RunResult { RunId = newer.Id, DeviceId = a.Id, Success = true },
                new RunResult { RunId = newer.Id, DeviceId = b.Id, Success = true, Node = "n1" },
                new RunResult { RunId = newer.Id, DeviceId = b.Id, Success = false, Node = "n2" },
                new RunResult { RunId = newer.Id, DeviceId = b.Id, Success = true, Node = "n3" },
                new RunResult { RunId = newer.Id, DeviceId = c.Id, Success = true });
            await db.SaveChangesAsync();
        }

        await using var context = await database.CreateScopedAsync([scope.Id], CancellationToken.None);
        var graph = await NetworkGraph.LoadAsync(context, CancellationToken.None);

        Assert.Equal(["a", "b", "c"], graph.Devices.Name);
        Assert.Equal([48.85, null, null], graph.Devices.Latitude);
        Assert.Equal([(int)DeviceRunStatus.Succeeded, (int)DeviceRunStatus.Failed, (int)DeviceRunStatus.Running], graph.Devices.Status);
        Assert.Equal([a.Id], graph.Links.Source);
        Assert.Equal([b.Id], graph.Links.Destination);
        // The topology writes them at the link's ends when zoomed in.
        Assert.Equal(["Gi0/1"], graph.Links.SourceInterface);
        Assert.Equal(["eth3"], graph.Links.DestinationInterface);
        Assert.Equal([a.Id, b.Id, c.Id], Assert.Single(graph.Pools).DeviceIds);

        await using var unscoped = database.CreateDbContext();
        var everything = await NetworkGraph.LoadAsync(unscoped, CancellationToken.None);
        Assert.Equal(4, everything.Devices.Id.Length);
        Assert.Equal((int)DeviceRunStatus.Never, everything.Devices.Status[3]);
        Assert.Equal(2, everything.Links.Source.Length);
    }
}

public sealed class NetworkIconsAndColorsTests
{
    [Theory]
    [InlineData("", "cisco_asa", "", "", "firewall")]
    [InlineData("", "fortinet", "", "", "firewall")]
    [InlineData("", "paloalto_panos", "", "", "firewall")]
    [InlineData("", "frr", "", "", "router")]
    [InlineData("", "vyos", "", "", "router")]
    [InlineData("", "arista_eos", "", "", "switch")]
    [InlineData("", "linux", "", "", "server")]
    // An icon that names a built-in one wins over the platform; the original eNMS's names are understood.
    [InlineData("switch", "cisco_asa", "", "", "switch")]
    [InlineData("HOST", "", "", "", "server")]
    [InlineData("optical_switch", "", "", "", "optical")]
    [InlineData("antenna", "", "", "", "access_point")]
    // An unknown icon falls back to the guess, then to the model and vendor, then to "unknown".
    [InlineData("spaceship", "cisco_asa", "", "", "firewall")]
    [InlineData("spaceship", "", "Cisco ASR1K", "Cisco", "router")]
    [InlineData("", "", "FortiGate 60F", "Fortinet", "firewall")]
    [InlineData("", "", "Laser 9000", "Nasa", "unknown")]
    [InlineData("spaceship", "", "", "", "unknown")]
    public void A_device_shows_its_own_icon_else_the_one_its_platform_or_model_suggests(string icon, string platform, string model, string vendor, string expected) =>
        Assert.Equal(expected, DeviceIcons.Resolve(icon, platform, model, vendor));

    [Fact]
    public async Task The_payload_carries_each_device_icon_each_link_colour_and_a_legend_of_what_is_in_use()
    {
        using var database = new TestDatabase();
        var (fw, r1, r2, box) = (new Device { Name = "fw", Platform = "cisco_asa" }, new Device { Name = "r1", Platform = "frr" },
            new Device { Name = "r2", Icon = "router" }, new Device { Name = "box", Icon = "spaceship" });
        await using (var db = database.CreateDbContext())
        {
            db.AddRange(fw, r1, r2, box);
            db.Links.AddRange(
                new Link { Name = "a", Source = fw, Destination = r1, Color = "#D4222A", Subtype = "optical fiber 100G" },
                new Link { Name = "b", Source = r1, Destination = r2, Color = "#d4222a", Subtype = "optical fiber 10G" },
                new Link { Name = "c", Source = r2, Destination = box },
                // Written around the field rule: never reaches a style.
                new Link { Name = "d", Source = fw, Destination = box, Color = "red;background:url(x)" });
            await db.SaveChangesAsync();
        }

        await using var context = database.CreateDbContext();
        var graph = await NetworkGraph.LoadAsync(context, CancellationToken.None);

        Assert.Equal(["firewall", "router", "router", "unknown"], graph.Devices.Icon.Select(i => graph.Icons[i].Key));
        Assert.Equal(["#d4222a", "#d4222a", "", ""], graph.Links.Color);
        Assert.Equal([("router", 2), ("firewall", 1), ("unknown", 1)], graph.Legend.Icons.Select(i => (i.Key, i.Count)));
        Assert.Collection(graph.Legend.LinkColors,
            c => Assert.Equal(("", 2, 0), (c.Color, c.Count, c.Types.Count)),
            c => Assert.Equal(("#d4222a", 2, "optical fiber 100G, optical fiber 10G"), (c.Color, c.Count, string.Join(", ", c.Types))));
    }

    [Fact]
    public void The_legend_is_bounded_however_many_colours_the_links_have()
    {
        var colors = Enumerable.Range(0, 1000).Select(i => $"#{i:x6}").ToArray();
        var legend = NetworkLegend.Of([], colors, [.. colors.Select(c => $"type of {c}")]);
        Assert.Equal(NetworkLegend.MaxLinkColors, legend.LinkColors.Count);
        Assert.Empty(legend.Icons);
    }
}
