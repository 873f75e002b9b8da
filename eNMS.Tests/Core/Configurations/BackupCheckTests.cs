using eNMS.Core.Configurations;
using eNMS.Core.Inventory;
using eNMS.Drivers.Config;
using eNMS.Tests.TestSupport;
using Microsoft.Extensions.Options;

namespace eNMS.Tests.Core.Configurations;

/// <summary>A backup that is not a complete configuration is flagged, kept for inspection and never made current.</summary>
public sealed class BackupCheckTests : IDisposable
{
    private const string Good = "hostname r1\nntp server 10.0.0.1\ninterface Loopback0\n ip address 10.0.0.1 255.255.255.255\nline vty 0 4\nend\n";
    private static readonly ConfigShape Ios = ConfigShape.EndsWith("end");
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void A_complete_configuration_passes()
    {
        Assert.Null(BackupCheck.Problems(Good, Ios, null, 0.5));
        Assert.Null(BackupCheck.Problems(Good, Ios, Good, 0.5));
        Assert.Null(BackupCheck.Problems("system {\n    host-name r1;\n}\n", ConfigShape.ClosedBraces, null, 0.5));
    }

    [Theory]
    [InlineData("hostname r1\nntp server 10.0.0.1\ninterface Loopback0\n ip address 10.0.0.1 255.255.255.255\nline vty 0 4\n", "end marker 'end'")]
    [InlineData("hostname r1\nntp server 10.0.0.1\n[eNMS: output truncated, 4096 more characters not kept]\nend\n", "cut marker")]
    [InlineData("hostname r1\nntp server 10.0.0.1\ninterface Loop\uFFFD\uFFFDback0\n ip address 10.0.0.1 255.255.255.255\nend\n", "2 byte(s) did not decode")]
    [InlineData("hostname r1\nntp server 10.0.0.1\ninterface Loopback0\u0007\n ip address 10.0.0.1 255.255.255.255\nend\n", "control character")]
    [InlineData("hostname r1\nend\n", "smaller than the last good version")]
    [InlineData("  \n", "empty")]
    public void An_incomplete_output_is_flagged_saying_why(string output, string reason)
    {
        var problem = BackupCheck.Problems(output, Ios, Good, 0.5);
        Assert.NotNull(problem);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Junos_cut_inside_a_block_is_flagged()
    {
        var problem = BackupCheck.Problems("system {\n    host-name r1;\n    services {\n        ssh;\n", ConfigShape.ClosedBraces, null, 0.5);
        Assert.Contains("left open", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shrink_share_is_a_setting()
    {
        var smaller = "hostname r1\nline vty 0 4\nend\n";
        Assert.NotNull(BackupCheck.Problems(smaller, Ios, Good, 0.5));
        Assert.Null(BackupCheck.Problems(smaller, Ios, Good, 0.9));
        Assert.Null(BackupCheck.Problems(smaller, Ios, Good, 1));
    }

    [Fact]
    public async Task A_flagged_backup_is_stored_but_the_last_good_version_stays_current_until_a_good_one_follows()
    {
        var device = new Device { Name = "r1", Address = "10.0.0.1", Platform = "cisco_ios" };
        await using (var db = _db.CreateDbContext())
        {
            db.Devices.Add(device);
            await db.SaveChangesAsync();
        }
        var store = new ConfigStore(_db, TimeProvider.System, Options.Create(new ConfigurationOptions { MaxShrinkShare = 0.5 }));
        var first = await store.SaveAsync(device.Id, "r1", Good, 1, Ios, CancellationToken.None);
        Assert.True(first.Changed);
        Assert.Null(first.Flag);

        var cut = Good[..40] + "\n[eNMS: output truncated, 100 more characters not kept]";
        var flagged = await store.SaveAsync(device.Id, "r1", cut, 2, Ios, CancellationToken.None);
        Assert.False(flagged.Changed);
        Assert.NotNull(flagged.Flag);
        Assert.Equal(first.Stored.Id, flagged.Previous!.Id);
        Assert.Equal(first.Stored.Id, Assert.Single(await store.LatestAsync(null, null, CancellationToken.None)).Id);
        var again = await store.SaveAsync(device.Id, "r1", cut, 3, Ios, CancellationToken.None);
        Assert.Equal(flagged.Stored.Id, again.Stored.Id); // the same broken output is not stored twice
        var versions = await store.VersionsAsync(device.Id, null, CancellationToken.None);
        Assert.Equal([flagged.Stored.Id, first.Stored.Id], versions.Select(v => v.Id));
        Assert.NotNull(versions[0].Flag);
        Assert.Single(await store.FlaggedAsync(10, null, CancellationToken.None));
        Assert.Empty(await store.LatestChangesAsync(10, null, CancellationToken.None));

        // An unchanged good backup after the flagged one compares with the good version: no change, device healthy.
        var unchanged = await store.SaveAsync(device.Id, "r1", Good, 4, Ios, CancellationToken.None);
        Assert.False(unchanged.Changed);
        var changed = await store.SaveAsync(device.Id, "r1", Good.Replace("10.0.0.1\ninterface", "10.0.0.9\ninterface", StringComparison.Ordinal), 5, Ios, CancellationToken.None);
        Assert.True(changed.Changed);
        Assert.Equal(first.Stored.Id, changed.Previous!.Id);
        Assert.Equal(changed.Stored.Id, Assert.Single(await store.LatestAsync(null, null, CancellationToken.None)).Id);
        Assert.Empty(await store.FlaggedAsync(10, null, CancellationToken.None));
        Assert.Equal(first.Stored.Id, Assert.Single(await store.LatestChangesAsync(10, null, CancellationToken.None)).PreviousVersionId);
    }

    [Fact]
    public async Task Every_simulated_platform_shows_a_running_config_its_shape_accepts()
    {
        var simulator = new eNMS.Drivers.Simulation.DeviceSimulator { CommandDelay = TimeSpan.Zero };
        foreach (var platform in eNMS.Drivers.Simulation.SimulatedPlatform.All.Keys.Where(k => k != "linux"))
        {
            await using var driver = await simulator.ConnectAsync(new eNMS.Drivers.DeviceTarget($"sim-{platform}", "192.0.2.1", platform, new eNMS.Drivers.DeviceCredential("simulated")), CancellationToken.None);
            var running = await driver.GetRunningConfigAsync(CancellationToken.None);
            Assert.Null(BackupCheck.Problems(running, driver.RunningConfigShape, running, 0.5));
        }
    }
}
