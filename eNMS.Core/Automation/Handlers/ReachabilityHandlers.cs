using System.Diagnostics;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using eNMS.Core.Automation.Execution;
using eNMS.Drivers;
using eNMS.Drivers.Simulation;

namespace eNMS.Core.Automation.Handlers;

public sealed class PingParameters
{
    public int Count { get; set; } = 3;
    public int TimeoutMs { get; set; } = 1000;
}

/// <summary><c>ping</c>: ICMP echo from the eNMS server to the device's address (a simulated device answers from the
/// simulator; a documentation address is never pinged).</summary>
public sealed class PingHandler(DeviceSimulator simulator) : ServiceHandler<PingParameters>
{
    public override string Kind => "ping";

    public override string Description => "Pings the device from the eNMS server and reports the round-trip time.";

    protected override PingParameters ExampleParameters => new() { Count = 3 };

    protected override string? Validate(PingParameters p) =>
        p.Count is < 1 or > 100 ? "Send between 1 and 100 echo requests." : null;

    protected override async Task<ServiceResult> ExecuteAsync(ServiceContext context, PingParameters p, CancellationToken ct)
    {
        var device = context.Device!;
        // Where to send the echo requests, or a refusal (thrown, failing the result) when it must not be dialled.
        var address = device.Simulated ? DeviceTargets.HostOf(device) : DeviceTargets.NetworkHostOf(device);
        using var ping = new Ping();
        var replies = new List<string>();
        var received = 0;
        for (var i = 0; i < p.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            if (device.Simulated)
            {
                var time = await simulator.PingAsync(DeviceTargets.For(device, new DeviceCredential("simulated")), ct);
                received++;
                replies.Add($"reply from {address}: time={time} ms (simulated)");
                continue;
            }
            try
            {
                var reply = await ping.SendPingAsync(address, TimeSpan.FromMilliseconds(p.TimeoutMs), cancellationToken: ct);
                received += reply.Status == IPStatus.Success ? 1 : 0;
                replies.Add(reply.Status == IPStatus.Success ? $"reply from {reply.Address}: time={reply.RoundtripTime} ms" : reply.Status.ToString());
            }
            catch (PingException e)
            {
                replies.Add(e.InnerException?.Message ?? e.Message);
            }
        }
        var summary = $"{p.Count} sent, {received} received ({100 * (p.Count - received) / p.Count}% loss)";
        var output = $"PING {address}\n{string.Join('\n', replies)}\n{summary}";
        return received > 0 ? ServiceResult.Ok(output, data: new { sent = p.Count, received }) : ServiceResult.Fail($"{address} is unreachable: {summary}", output);
    }
}

public sealed class TcpPortParameters
{
    /// <summary>0 means the device's SSH port.</summary>
    public int Port { get; set; }
    public int TimeoutMs { get; set; } = 3000;
}

/// <summary><c>tcp_port</c>: whether the device accepts a TCP connection on a port, from the eNMS server (a simulated
/// device answers from the simulator; a documentation address is never dialled).</summary>
public sealed class TcpPortHandler(DeviceSimulator simulator) : ServiceHandler<TcpPortParameters>
{
    public override string Kind => "tcp_port";

    public override string Description => "Checks that the device accepts TCP connections on a port (its SSH port by default).";

    protected override TcpPortParameters ExampleParameters => new() { Port = 22 };

    protected override string? Validate(TcpPortParameters p) => p.Port is < 0 or > 65535 ? "A TCP port is from 1 to 65535." : null;

    protected override async Task<ServiceResult> ExecuteAsync(ServiceContext context, TcpPortParameters p, CancellationToken ct)
    {
        var device = context.Device!;
        var port = p.Port == 0 ? device.Port : p.Port;
        if (device.Simulated)
        {
            var simulated = DeviceTargets.For(device, new DeviceCredential("simulated"));
            return simulator.IsListening(simulated, port)
                ? ServiceResult.Ok($"{simulated.Host}:{port} is open (simulated)", data: new { port, open = true })
                : ServiceResult.Fail($"{simulated.Host}:{port} is closed (simulated: connection refused)");
        }
        var address = DeviceTargets.NetworkHostOf(device);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(p.TimeoutMs);
        using var client = new TcpClient();
        var watch = Stopwatch.StartNew();
        try
        {
            await client.ConnectAsync(address, port, timeout.Token);
            return ServiceResult.Ok($"{address}:{port} is open ({watch.ElapsedMilliseconds} ms)", data: new { port, open = true });
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return ServiceResult.Fail($"{address}:{port} did not answer within {p.TimeoutMs} ms");
        }
        catch (SocketException e)
        {
            return ServiceResult.Fail($"{address}:{port} is closed or unreachable: {e.Message}");
        }
    }
}

public sealed class WaitParameters
{
    public double Seconds { get; set; } = 5;
}

/// <summary><c>wait</c>: pauses (a device waits for a reload, a protocol to converge…).</summary>
public sealed class WaitHandler : ServiceHandler<WaitParameters>
{
    public override string Kind => "wait";

    public override string Description => "Waits a number of seconds, e.g. for a device to reload before the next step.";

    protected override WaitParameters ExampleParameters => new() { Seconds = 5 };

    protected override string? Validate(WaitParameters p) => p.Seconds is < 0 or > 86_400 ? "Wait between 0 s and one day." : null;

    protected override async Task<ServiceResult> ExecuteAsync(ServiceContext context, WaitParameters p, CancellationToken ct)
    {
        await Task.Delay(TimeSpan.FromSeconds(p.Seconds), context.Time, ct);
        return ServiceResult.Ok($"Waited {p.Seconds} s");
    }
}
