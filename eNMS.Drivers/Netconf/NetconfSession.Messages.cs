using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace eNMS.Drivers.Netconf;

/// <summary>The session's messages on the channel: framed out, read back within a time limit, parsed bounded; and the
/// nudge a server sitting on the first RPC gets.</summary>
public sealed partial class NetconfSession
{
    // Debian's netconfd (yuma123) leaves a message that reaches it in the same read as the client's hello unprocessed
    // until more input comes (reproduced on the lab: hello and get-config in one write get no reply; a second RPC then
    // gets both). Under load our hello and first RPC can meet like that. So when the first RPC has had no byte of reply
    // for a while, a no-op RPC follows it (get-config with an empty subtree filter, which selects nothing): the extra
    // input makes such a server read on; the no-op's reply, known by its message-id, is skipped wherever it arrives.
    private static readonly TimeSpan NudgeAfter = TimeSpan.FromSeconds(3);
    private string? _nudgeId;

    private async Task<XElement> ReceiveReplyAsync(string name, bool first, CancellationToken ct)
    {
        try
        {
            return await ReceiveReplyOrNudgeAsync(name, first, ct);
        }
        catch (OperationCanceledException)
        {
            // Cancelled with the request sent (in the wait or while nudging): its reply may still come, unpaired.
            IsUsable = false;
            throw;
        }
    }

    private async Task<XElement> ReceiveReplyOrNudgeAsync(string name, bool first, CancellationToken ct)
    {
        var receiving = ReceiveAsync(name, Target.Timeouts.Command, ct);
        if (first)
        {
            await Task.WhenAny(receiving, Task.Delay(NudgeAfter, _time, ct));
            if (!receiving.IsCompleted && _framer.Pending == 0 && !ct.IsCancellationRequested)
            {
                _nudgeId = (++_messageId).ToString(CultureInfo.InvariantCulture);
                var nudge = new XElement(Base + "rpc", new XAttribute("message-id", _nudgeId),
                    new XElement(Base + "get-config", new XElement(Base + "source", Datastore(NetconfDatastore.Running)),
                        new XElement(Base + "filter", new XAttribute("type", "subtree"))));
                await SendAsync(nudge.ToString(SaveOptions.DisableFormatting), name, ct);
            }
        }
        var reply = Parse(await receiving, name);
        while (_nudgeId is { } nudgeId && (string?)reply.Attribute("message-id") == nudgeId)
        {
            _nudgeId = null;
            reply = Parse(await ReceiveAsync(name, Target.Timeouts.Command, ct), name);
        }
        return reply;
    }

    private async Task SendAsync(string message, string operation, CancellationToken ct)
    {
        try
        {
            await _channel.WriteAsync(NetconfFramer.Frame(message, _framer.Framing), ct);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            IsUsable = false;
            throw new DeviceConnectionException(Target.Name, $"NETCONF {operation}: connection lost while sending: {e.Message}", e);
        }
    }

    private async Task<string> ReceiveAsync(string operation, TimeSpan limit, CancellationToken ct)
    {
        using var deadline = new CancellationTokenSource(limit, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            while (true)
            {
                if (_framer.TryRead(out var message))
                {
                    return message;
                }
                int read = await _channel.ReadAsync(_readBuffer, linked.Token);
                if (read == 0)
                {
                    IsUsable = false;
                    throw new DeviceConnectionException(Target.Name, $"NETCONF {operation}: connection lost before the reply ended " +
                        $"({N(_framer.Pending)} bytes of it received)");
                }
                _framer.Feed(_readBuffer.AsSpan(0, read));
            }
        }
        catch (NetconfFramingException e)
        {
            IsUsable = false;
            throw new DeviceException(Target.Name, $"NETCONF {operation}: {e.Message}; the session was closed");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            IsUsable = false;
            throw new DeviceTimeoutException(Target.Name, $"NETCONF {operation}: no complete reply within {limit.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s " +
                $"({N(_framer.Pending)} bytes received)");
        }
        catch (OperationCanceledException)
        {
            // A reply may still be on its way: this session can no longer pair replies with requests.
            IsUsable = false;
            throw;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            IsUsable = false;
            throw new DeviceConnectionException(Target.Name, $"NETCONF {operation}: connection lost: {e.Message}", e);
        }
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private XElement Parse(string message, string operation)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = _options.MaxReplyBytes,
        };
        try
        {
            using var reader = XmlReader.Create(new StringReader(message.TrimStart('\uFEFF', ' ', '\t', '\r', '\n')), settings);
            var root = XElement.Load(reader);
            // Servers indent their replies: that whitespace between elements is layout, not data (YANG has no mixed
            // content), and would otherwise stay in every re-indented output. A leaf's own whitespace value is kept.
            root.DescendantNodes().OfType<XText>().Where(t => t.Parent is { HasElements: true } && string.IsNullOrWhiteSpace(t.Value)).ToList()
                .ForEach(t => t.Remove());
            return root;
        }
        catch (XmlException e)
        {
            throw new DeviceException(Target.Name, $"NETCONF {operation}: the reply is not well-formed XML: {e.Message}");
        }
    }
}
