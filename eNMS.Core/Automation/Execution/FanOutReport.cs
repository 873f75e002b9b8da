using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using eNMS.Drivers;

namespace eNMS.Core.Automation.Execution;

/// <summary>What a run's fan-out went through (<see cref="AdaptiveLimits"/>): per platform the cap it started from,
/// the lowest it fell to and where it ended; the devices retried, why and when. Stored with the run (<see cref="Run.FanOut"/>).</summary>
/// <param name="Platforms">The platforms that refused connections.</param>
/// <param name="Retries">Each refused connection: retried, or the last one given up.</param>
/// <param name="RetriesNotListed">Retries past <see cref="AdaptiveLimits.MaxListedRetries"/>: counted, not listed.</param>
public sealed record FanOutReport(IReadOnlyList<PlatformCap> Platforms, IReadOnlyList<ConnectRetry> Retries, int RetriesNotListed = 0)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The stored report, or null when there is none (nothing was refused) or it cannot be read.</summary>
    public static FanOutReport? Parse(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<FanOutReport>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>One platform's cap in a run, when its devices refused connections.</summary>
public sealed record PlatformCap(string Platform, int StartCap, int LowestCap, int FinalCap, int Refusals, IReadOnlyDictionary<string, int> Reasons)
{
    /// <summary>"cisco_ios: cap lowered 16 → 4 after 3 refused connections (connection reset ×3); held at 5".</summary>
    public string Summary =>
        $"{Platform}: {(LowestCap < StartCap ? $"cap lowered {StartCap} → {LowestCap}" : $"cap {StartCap} kept")} after {Refusals} refused connection(s) " +
        $"({string.Join(", ", Reasons.OrderByDescending(r => r.Value).Select(r => $"{r.Key} ×{r.Value}"))}); held at {FinalCap}";
}

/// <summary>One refused connection of a device: retried after <see cref="DelaySeconds"/>, or the last one (given up).</summary>
public sealed record ConnectRetry(string Device, string Platform, string Reason, int Attempt, int Of, double DelaySeconds, bool GaveUp)
{
    /// <summary>"london-core: connection reset (attempt 1 of 3), retried after 2 s".</summary>
    public string Summary =>
        $"{Device}: {Reason} (attempt {Attempt} of {Of}), " +
        (GaveUp ? "gave up" : string.Create(CultureInfo.InvariantCulture, $"retried after {DelaySeconds:0.###} s"));
}

/// <summary>Which failures to connect mean "not now" (worth a retry with a lower cap) and what to call them.</summary>
public static class ConnectRefusals
{
    public const string Refused = "connection refused";
    public const string Reset = "connection reset";
    public const string TooMany = "too many sessions";
    public const string Closed = "connection closed by peer";
    public const string TimedOut = "timed out while connecting";

    /// <summary>The reason to retry, or null: not a refusal (a refused login, a changed host key, a command error, an
    /// address eNMS never dials, an unknown host name — the same answer would come again).</summary>
    public static string? Reason(DeviceException failure) => failure switch
    {
        DeviceTimeoutException => TimedOut,
        DeviceConnectionException c when Socket(c) is { } socket => socket.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => Refused,
            SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => Reset,
            SocketError.TimedOut => TimedOut,
            SocketError.HostNotFound or SocketError.NoData or SocketError.AddressNotAvailable => null,
            _ => Words(c.Message) ?? Closed,
        },
        // A drop during the handshake or before the first prompt: the transport's error, or the session's "connection lost".
        DeviceConnectionException c when c.InnerException is not null || c.Message.Contains("connection lost", StringComparison.Ordinal) =>
            Words(c.Message) ?? Closed,
        _ => null,
    };

    private static SocketException? Socket(Exception e)
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket;
            }
        }
        return null;
    }

    /// <summary>What the device or the SSH library said, read for the usual words ("% Too many sessions", MaxStartups'
    /// drop read as a reset, "Connection refused").</summary>
    private static string? Words(string message) =>
        Has(message, "too many") || Has(message, "maximum") || Has(message, "max sessions") ? TooMany
        : Has(message, "refused") ? Refused
        : Has(message, "reset") || Has(message, "aborted") ? Reset
        : Has(message, "timed out") || Has(message, "timeout") ? TimedOut
        : null;

    private static bool Has(string text, string word) => text.Contains(word, StringComparison.OrdinalIgnoreCase);
}
