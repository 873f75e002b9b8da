namespace eNMS.Drivers;

/// <summary>Something went wrong with one device; the message starts with the device's name.</summary>
public class DeviceException : Exception
{
    public DeviceException(string device, string message, Exception? inner = null)
        : base($"{device}: {message}", inner) => Device = device;

    public DeviceException() : this("?", "device error") { }

    public DeviceException(string message) : this("?", message) { }

    public DeviceException(string message, Exception inner) : this("?", message, inner) { }

    public string Device { get; } = "?";

    /// <summary>The message without the device's name in front: what a message that wraps this one quotes.</summary>
    public string Detail => Message.StartsWith(Device + ": ", StringComparison.Ordinal) ? Message[(Device.Length + 2)..] : Message;

    /// <summary>What the device had sent of the reply before it failed (a drop, a timeout), so that a result can keep
    /// it, marked as partial; empty when nothing had come.</summary>
    public string PartialOutput { get; init; } = "";
}

/// <summary>The device replied with an error (e.g. <c>% Invalid input detected</c>, <c>syntax error</c>). The message
/// quotes <paramref name="errorLine"/> when the caller found it, else the reply's first line that reads like an error
/// (a reply can start with other text: IOS prints <c>Translating "foobar"...</c> before <c>% Unknown command</c>).</summary>
public sealed class DeviceCommandException(string device, string command, string reply, string? errorLine = null)
    : DeviceException(device, $"'{command}' failed: {errorLine?.Trim() ?? ErrorLine(reply)}")
{
    public string Command { get; } = command;

    public string Reply { get; } = reply;

    private static string ErrorLine(string reply)
    {
        var lines = reply.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && l != "^").ToList();
        return lines.FirstOrDefault(l => l.StartsWith('%'))
            ?? lines.FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)
                || l.Contains("invalid", StringComparison.OrdinalIgnoreCase))
            ?? lines.FirstOrDefault()
            ?? "(no reply)";
    }
}

/// <summary>The device asked a question (a confirmation, a file name) that no answer matched, and is still waiting.</summary>
public sealed class DeviceUnansweredPromptException(string device, string command, string question)
    : DeviceException(device, $"'{command}' stopped at a question nobody answered: '{question}' (give this command an answer for it)")
{
    public string Command { get; } = command;

    public string Question { get; } = question;
}

/// <summary>No prompt came back in time.</summary>
public sealed class DeviceTimeoutException(string device, string message) : DeviceException(device, message);

/// <summary>The device refused the credentials (or the enable secret).</summary>
public sealed class DeviceAuthenticationException(string device, string message, Exception? inner = null)
    : DeviceException(device, message, inner);

/// <summary>The device presented a host key different from the one on record: the connection was refused. The
/// message says how to go on, since the person reading it (a run's result, a terminal) is rarely the one who can.</summary>
/// <remarks>hostKey: the known-hosts key of the address ("host" or "[host]:port"), empty when unknown.</remarks>
public sealed class HostKeyMismatchException(string device, string expectedFingerprint, string actualFingerprint, string hostKey = "")
    : DeviceException(device,
        $"host key changed: expected {expectedFingerprint}, got {actualFingerprint}; refusing to connect. " +
        $"If the device really changed (replaced, re-keyed), {HowToAccept}")
{
    /// <summary>What to do about a refused key, for every message that reports one.</summary>
    public const string HowToAccept = "an admin can accept the new key on the Host keys page (/admin/hostkeys)";

    public string ExpectedFingerprint { get; } = expectedFingerprint;

    public string ActualFingerprint { get; } = actualFingerprint;

    public string HostKey { get; } = hostKey;
}

/// <summary>The device could not be reached or the connection dropped.</summary>
public sealed class DeviceConnectionException(string device, string message, Exception? inner = null)
    : DeviceException(device, message, inner);
