using System.Net.Sockets;
using eNMS.Core.Automation.Execution;
using eNMS.Drivers;
using Microsoft.Extensions.Time.Testing;

namespace eNMS.Tests.Core.Automation;

/// <summary>The run's adaptive per-platform caps (AIMD) and the retries of refused connections, on a fake clock.</summary>
public sealed class AdaptiveLimitsTests
{
    private static readonly ConnectRetryPolicy ThreeAttempts = new(3, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30));
    private readonly FakeTimeProvider _time = new();

    private AdaptiveLimits Limits(int cap, ConnectRetryPolicy? policy = null) =>
        new(cap, new Dictionary<string, int>(), policy ?? ThreeAttempts, _time);

    private static DeviceConnectionException Refused(string device = "d1") =>
        new(device, "cannot connect to 127.0.0.1:22: Connection refused", new SocketException((int)SocketError.ConnectionRefused));

    private static DeviceConnectionException Reset(string device = "d1") =>
        new(device, "cannot connect to 10.0.0.1:22: Connection reset by peer", new SocketException((int)SocketError.ConnectionReset));

    /// <summary>Advances the fake clock in small steps until the task ends (bounded: a hang fails the test).</summary>
    private async Task<T> DriveAsync<T>(Task<T> task)
    {
        for (var i = 0; i < 400 && !task.IsCompleted; i++)
        {
            await Task.Delay(5);
            _time.Advance(TimeSpan.FromMilliseconds(250));
        }
        Assert.True(task.IsCompleted, "the connection never ended");
        return await task;
    }

    [Fact]
    public async Task A_refused_login_is_not_retried_and_leaves_the_cap()
    {
        var limits = Limits(8);
        var attempts = 0;

        await Assert.ThrowsAsync<DeviceAuthenticationException>(() => limits.ConnectAsync<int>("d1", "cisco_ios", true, slot =>
        {
            attempts++;
            slot.Dispose();
            throw new DeviceAuthenticationException("d1", "login refused for user 'admin'");
        }, CancellationToken.None));

        Assert.Equal(1, attempts);
        Assert.Equal(8, limits.CapOf("cisco_ios"));
        Assert.Null(limits.Report());
    }

    [Fact]
    public async Task A_device_that_stays_down_fails_after_the_bounded_attempts_with_backoff_and_the_reason()
    {
        var limits = Limits(8);
        var tried = new List<TimeSpan>();
        var start = _time.GetUtcNow();

        var failure = await Assert.ThrowsAsync<ConnectGaveUpException>(() => DriveAsync(limits.ConnectAsync<int>("london-core", "cisco_ios", true, slot =>
        {
            tried.Add(_time.GetUtcNow() - start);
            throw Refused("london-core");
        }, CancellationToken.None)));

        Assert.Equal(3, tried.Count);
        Assert.InRange((tried[1] - tried[0]).TotalSeconds, 2, 2.5);
        Assert.InRange((tried[2] - tried[1]).TotalSeconds, 4, 4.5);
        Assert.Equal(ConnectRefusals.Refused, failure.Reason);
        Assert.StartsWith("london-core: connection refused, gave up after 3 attempt(s): cannot connect", failure.Message, StringComparison.Ordinal);
        var report = limits.Report()!;
        Assert.Equal(["london-core: connection refused (attempt 1 of 3), retried after 2 s", "london-core: connection refused (attempt 2 of 3), retried after 4 s",
            "london-core: connection refused (attempt 3 of 3), gave up"], report.Retries.Select(r => r.Summary));
        // Refused while alone: each refusal came in its own generation, so the cap fell 8 → 4 → 2 → 1.
        Assert.Equal("cisco_ios: cap lowered 8 → 1 after 3 refused connection(s) (connection refused ×3); held at 1", Assert.Single(report.Platforms).Summary);
    }

    [Fact]
    public async Task Without_retry_a_refusal_lowers_the_cap_and_is_thrown_as_it_came_for_the_node_to_retry()
    {
        var limits = Limits(8);
        var attempts = 0;

        await Assert.ThrowsAsync<DeviceConnectionException>(() => limits.ConnectAsync<int>("d1", "linux", false, _ =>
        {
            attempts++;
            throw Refused();
        }, CancellationToken.None));

        Assert.Equal(1, attempts);
        Assert.Equal(4, limits.CapOf("linux"));
        Assert.Empty(limits.Report()!.Retries);
    }

    [Fact]
    public async Task The_total_wait_is_bounded_even_with_attempts_left()
    {
        var limits = Limits(4, new ConnectRetryPolicy(10, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)));
        var attempts = 0;

        var failure = await Assert.ThrowsAsync<ConnectGaveUpException>(() => DriveAsync(limits.ConnectAsync<int>("d1", "linux", true, _ =>
        {
            attempts++;
            throw Refused();
        }, CancellationToken.None)));

        // 2 s waited, then 4 s more would pass 5 s.
        Assert.Equal(2, attempts);
        Assert.Equal(2, failure.Attempts);
    }

    [Fact]
    public async Task Refusals_of_connections_made_at_the_same_cap_halve_it_once_and_successes_raise_it_slowly()
    {
        var limits = Limits(12);
        using var end = new CancellationTokenSource();
        var refuse = new TaskCompletionSource();
        var failing = Enumerable.Range(0, 9).Select(i => limits.ConnectAsync<int>($"d{i}", "cisco_ios", true, async slot =>
        {
            await refuse.Task;
            throw Reset($"d{i}");
        }, end.Token)).ToList();

        refuse.SetResult();
        for (var i = 0; i < 100 && limits.Report()?.Retries.Count != 9; i++)
        {
            await Task.Delay(20);
        }
        // Nine resets at once: one halving, 12 → 6 (not 12 / 2⁹), all nine waiting for their retry.
        Assert.Equal(9, limits.Report()!.Retries.Count(r => r is { Reason: ConnectRefusals.Reset, Attempt: 1, GaveUp: false }));
        Assert.Equal(6, limits.CapOf("cisco_ios"));
        await end.CancelAsync();

        var slots = new List<IDisposable>();
        foreach (var _ in Enumerable.Range(0, 6))
        {
            slots.Add(await limits.ConnectAsync("ok", "cisco_ios", true, slot => Task.FromResult(slot), CancellationToken.None));
        }
        // Additive increase: 6 successes at cap 6 → 7.
        Assert.Equal(7, limits.CapOf("cisco_ios"));
        slots.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task The_cap_holds_connections_back_until_a_place_frees_and_never_rises_above_its_start()
    {
        var limits = Limits(2);
        var first = await limits.ConnectAsync("a", "eos", true, slot => Task.FromResult(slot), CancellationToken.None);
        var second = await limits.ConnectAsync("b", "eos", true, slot => Task.FromResult(slot), CancellationToken.None);

        var third = limits.ConnectAsync("c", "eos", true, slot => Task.FromResult(slot), CancellationToken.None);
        await Task.Delay(50);
        Assert.False(third.IsCompleted);

        first.Dispose();
        (await third.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        second.Dispose();
        Assert.Equal(2, limits.CapOf("eos"));
    }

    [Fact]
    public async Task Cancelling_during_the_backoff_ends_at_once()
    {
        var limits = Limits(4, new ConnectRetryPolicy(3, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10)));
        using var cancel = new CancellationTokenSource();
        var tried = new TaskCompletionSource();
        var connecting = limits.ConnectAsync<int>("d1", "linux", true, _ =>
        {
            tried.TrySetResult();
            throw Refused();
        }, cancel.Token);
        await tried.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(20);
        Assert.False(connecting.IsCompleted);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connecting.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Only_refusals_that_mean_not_now_are_retried()
    {
        Assert.Equal(ConnectRefusals.Refused, ConnectRefusals.Reason(Refused()));
        Assert.Equal(ConnectRefusals.Reset, ConnectRefusals.Reason(Reset()));
        Assert.Equal(ConnectRefusals.TimedOut, ConnectRefusals.Reason(new DeviceTimeoutException("d1", "no SSH session with 10.0.0.1:22 within 10 s")));
        Assert.Equal(ConnectRefusals.TooMany, ConnectRefusals.Reason(
            new DeviceConnectionException("d1", "connection lost while waiting for the prompt (last words: '% Too many sessions (at most 3): closing')")));
        Assert.Equal(ConnectRefusals.Closed, ConnectRefusals.Reason(
            new DeviceConnectionException("d1", "cannot connect to 10.0.0.1:22: An established connection was closed", new IOException("closed"))));
        // The device's answers: the same would come again.
        Assert.Null(ConnectRefusals.Reason(new DeviceAuthenticationException("d1", "login refused for user 'admin'")));
        Assert.Null(ConnectRefusals.Reason(new DeviceCommandException("d1", "terminal length 0", "% Invalid input")));
        Assert.Null(ConnectRefusals.Reason(new HostKeyMismatchException("d1", "SHA256:a", "SHA256:b")));
        Assert.Null(ConnectRefusals.Reason(new DeviceConnectionException("d1", "192.0.2.1 is a documentation address: never dialled")));
        Assert.Null(ConnectRefusals.Reason(new DeviceConnectionException("d1", "cannot connect to nowhere:22", new SocketException((int)SocketError.HostNotFound))));
    }
}
