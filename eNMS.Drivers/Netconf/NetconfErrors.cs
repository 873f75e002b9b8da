using System.Xml.Linq;

namespace eNMS.Drivers.Netconf;

/// <summary>One <c>&lt;rpc-error&gt;</c> of a reply (RFC 6241 §4.3), as the server wrote it.</summary>
/// <param name="Type">transport, rpc, protocol or application.</param>
/// <param name="Tag">e.g. <c>lock-denied</c>, <c>invalid-value</c>, <c>data-missing</c>, <c>operation-failed</c>.</param>
/// <param name="Severity">error or warning.</param>
/// <param name="AppTag">A server- or model-specific tag, when given.</param>
/// <param name="Path">The XPath of the node at fault, when the server gave one.</param>
/// <param name="Message">The server's human-readable explanation.</param>
/// <param name="Info">The <c>error-info</c> children as XML (e.g. the <c>session-id</c> holding a lock).</param>
public sealed record NetconfError(string Type, string Tag, string Severity, string AppTag, string Path, string Message, string Info)
{
    public bool IsError => !string.Equals(Severity, "warning", StringComparison.OrdinalIgnoreCase);

    /// <summary>What a person reads: the message (or the tag), the path and the tag.</summary>
    public override string ToString()
    {
        var text = Message.Length > 0 ? Message : Tag;
        var details = new List<string>();
        if (Path.Length > 0)
        {
            details.Add($"path {Path}");
        }
        if (Tag.Length > 0 && Message.Length > 0)
        {
            details.Add($"tag {Tag}");
        }
        if (Tag == "lock-denied" && Info.Length > 0)
        {
            details.Add(Info);
        }
        return details.Count == 0 ? text : $"{text} ({string.Join(", ", details)})";
    }

    internal static NetconfError Parse(XElement error)
    {
        string Child(string name) => error.Element(NetconfSession.Base + name)?.Value.Trim() ?? "";
        var info = error.Element(NetconfSession.Base + "error-info");
        var infoText = info is null ? "" : string.Join(", ", info.Elements().Select(e => $"{e.Name.LocalName} {e.Value.Trim()}"));
        return new NetconfError(Child("error-type"), Child("error-tag"), Child("error-severity"), Child("error-app-tag"),
            Child("error-path"), Child("error-message"), infoText);
    }
}

/// <summary>The server answered an operation with <c>&lt;rpc-error&gt;</c>s of severity error.</summary>
public sealed class NetconfRpcException(string device, string operation, IReadOnlyList<NetconfError> errors)
    : DeviceException(device, $"NETCONF {operation} refused: {string.Join("; ", errors)}")
{
    /// <summary>The operation's element name (<c>edit-config</c>, <c>lock</c>…).</summary>
    public string Operation { get; } = operation;

    public IReadOnlyList<NetconfError> Errors { get; } = errors;

    /// <summary>The first error's tag (<c>lock-denied</c>, <c>invalid-value</c>…).</summary>
    public string Tag => Errors.Count > 0 ? Errors[0].Tag : "";
}

/// <summary>The server does not announce a capability the operation needs (e.g. <c>:candidate</c>): nothing was sent.</summary>
public sealed class NetconfCapabilityException(string device, string message) : DeviceException(device, message);
