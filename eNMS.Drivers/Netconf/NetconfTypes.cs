namespace eNMS.Drivers.Netconf;

/// <summary>A configuration datastore (RFC 6241 §5.1).</summary>
public enum NetconfDatastore
{
    Running,
    Candidate,
    Startup,
}

/// <summary>How <c>edit-config</c> combines the payload with the datastore where the payload's elements say nothing.</summary>
public enum NetconfDefaultOperation
{
    /// <summary>Added to what is there.</summary>
    Merge,

    /// <summary>The payload replaces the datastore's content (what it lacks is deleted).</summary>
    Replace,

    /// <summary>Only the operations written on the payload's elements (<c>nc:operation="delete"</c>…) apply.</summary>
    None,
}

public enum NetconfFilterType
{
    None,

    /// <summary>An XML subtree naming what to return (RFC 6241 §6).</summary>
    Subtree,

    /// <summary>An XPath 1.0 expression (needs <c>:xpath</c>).</summary>
    XPath,
}

/// <summary>What to ask a NETCONF server for: a subtree (XML) or an XPath expression. An XPath filter given as a whole
/// <c>&lt;filter type="xpath" xmlns:p="…" select="…"/&gt;</c> element keeps its namespace declarations.</summary>
public sealed record NetconfFilter(NetconfFilterType Type, string Expression)
{
    public static NetconfFilter? From(NetconfFilterType type, string expression) =>
        type == NetconfFilterType.None || string.IsNullOrWhiteSpace(expression) ? null : new NetconfFilter(type, expression.Trim());
}

/// <summary>Limits and protocol choices of NETCONF sessions.</summary>
public sealed record NetconfOptions
{
    /// <summary>Largest message accepted from a server; a larger reply fails the operation and closes the session.</summary>
    public long MaxReplyBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Announce <c>:base:1.1</c> (chunked framing when the server announces it too). Off: 1.0 framing only.</summary>
    public bool AnnounceBase11 { get; init; } = true;
}
