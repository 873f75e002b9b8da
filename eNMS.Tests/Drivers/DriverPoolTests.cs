using eNMS.Drivers;
using eNMS.Drivers.Cli;

namespace eNMS.Tests.Drivers;

public class DriverPoolTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private sealed class Devices
    {
        public List<FakeCli> Opened { get; } = [];

        public DriverFactory Factory => new(DriverRegistry.CreateDefault(), new KnownHosts())
        {
            OpenShell = (_, _) =>
            {
                var cli = new FakeCli("r1#");
                cli.Outputs["terminal length 0"] = "";
                cli.Outputs["show clock"] = "12:00";
                cli.Custom["show hang"] = () => null;
                Opened.Add(cli);
                return Task.FromResult<IShell>(cli.Shell);
            },
        };
    }

    private static DeviceTarget Target => FakeCli.Target("frr", readSeconds: 0.2);

    [Fact]
    public async Task A_device_leased_twice_in_a_run_is_logged_into_once()
    {
        var devices = new Devices();
        await using var pool = new DriverPool(devices.Factory);

        await using (var lease = await pool.LeaseAsync(1, Target, None))
        {
            Assert.Equal("12:00", await lease.Driver.SendCommandAsync("show clock", None));
        }
        await using (var lease = await pool.LeaseAsync(1, Target, None))
        {
            Assert.Equal("12:00", await lease.Driver.SendCommandAsync("show clock", None));
        }

        Assert.Single(devices.Opened);
    }

    [Fact]
    public async Task A_connection_left_unusable_is_replaced_on_the_next_lease()
    {
        var devices = new Devices();
        await using var pool = new DriverPool(devices.Factory);
        await using (var lease = await pool.LeaseAsync(1, Target, None))
        {
            await Assert.ThrowsAsync<DeviceTimeoutException>(() => lease.Driver.SendCommandAsync("show hang", None));
            Assert.False(lease.Driver.IsUsable);
        }

        await using (var lease = await pool.LeaseAsync(1, Target, None))
        {
            Assert.Equal("12:00", await lease.Driver.SendCommandAsync("show clock", None));
        }

        Assert.Equal(2, devices.Opened.Count);
        Assert.True(devices.Opened[0].Shell.Disposed);
    }

    [Fact]
    public async Task A_second_lease_waits_until_the_first_is_returned_and_disposal_closes_everything()
    {
        var devices = new Devices();
        var pool = new DriverPool(devices.Factory);
        var first = await pool.LeaseAsync(1, Target, None);

        var second = pool.LeaseAsync(1, Target, None);
        await Task.Delay(50);
        Assert.False(second.IsCompleted);
        await first.DisposeAsync();
        await using (await second)
        {
        }
        await pool.DisposeAsync();

        Assert.True(Assert.Single(devices.Opened).Shell.Disposed);
    }

    [Fact]
    public async Task Two_devices_whose_names_differ_only_in_case_are_two_connections_held_at_once()
    {
        var devices = new Devices();
        await using var pool = new DriverPool(devices.Factory);
        var upper = Target with { Name = "R1" };
        var lower = Target with { Name = "r1" };

        // Keyed by name (case-insensitively) they shared one slot: the second lease waited for the first.
        await using var first = await pool.LeaseAsync(1, upper, None);
        await using var second = await pool.LeaseAsync(2, lower, None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, devices.Opened.Count);
        Assert.Equal(2, pool.OpenConnections);
        Assert.Equal(("R1", "r1"), (first.Driver.Target.Name, second.Driver.Target.Name));
    }

    [Fact]
    public async Task A_released_device_is_disconnected_at_once_and_reconnects_if_leased_again()
    {
        var devices = new Devices();
        await using var pool = new DriverPool(devices.Factory);
        await using (var lease = await pool.LeaseAsync(1, Target, None))
        {
            Assert.Equal(1, pool.OpenConnections);
        }

        await pool.ReleaseAsync(1);

        Assert.True(Assert.Single(devices.Opened).Shell.Disposed);
        Assert.Equal(0, pool.OpenConnections);
        await using (var lease = await pool.LeaseAsync(1, Target, None))
        {
            Assert.Equal("12:00", await lease.Driver.SendCommandAsync("show clock", None));
        }
        Assert.Equal((2, 1), (devices.Opened.Count, pool.OpenConnections));
    }
}
