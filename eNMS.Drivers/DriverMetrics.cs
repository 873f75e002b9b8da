using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace eNMS.Drivers;

/// <summary>
/// How connections to devices go, by platform and transport: how many were opened, how many failed, how long opening
/// one took (TCP, SSH or Telnet handshake and login). A static meter, as the runtime's own libraries have: the drivers
/// know no dependency injection, and the app picks the meter up by its name (<see cref="MeterName"/>).
/// </summary>
public static class DriverMetrics
{
    public const string MeterName = "eNMS.Drivers";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Connections = Meter.CreateCounter<long>("enms.device.connections", "{connection}",
        "Connections opened to devices (CLI, NETCONF, file transfer), by platform and transport");
    private static readonly Counter<long> Failures = Meter.CreateCounter<long>("enms.device.connection.failures", "{connection}",
        "Connections to devices that could not be opened, by platform and transport");
    private static readonly Histogram<double> ConnectTime = Meter.CreateHistogram<double>("enms.device.connect.duration", "s",
        "Time to open a connection to a device and log in, by platform and transport", advice: new InstrumentAdvice<double>
        {
            // Logins over SSH take from tens of milliseconds (a lab) to tens of seconds (a slow jump host, a timeout).
            HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
        });

    /// <summary>Measures <paramref name="open"/>: counted as opened or failed, its duration recorded either way
    /// (a timeout is what an operator most wants to see in the connect time).</summary>
    public static async Task<T> MeasureAsync<T>(DeviceTarget target, string transport, Func<Task<T>> open)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(open);
        var tags = new TagList { { "platform", target.Platform }, { "transport", transport } };
        var started = Stopwatch.GetTimestamp();
        try
        {
            var connected = await open();
            Connections.Add(1, tags);
            return connected;
        }
        catch
        {
            Failures.Add(1, tags);
            throw;
        }
        finally
        {
            ConnectTime.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        }
    }
}
