using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using eNMS.Drivers.Netconf;

namespace eNMS.Tests.Drivers.Netconf;

/// <summary>
/// A server (end-of-message framing) that behaves like Debian's netconfd when the client's hello and first RPC reach
/// it together: it sends its hello, then sits on the first RPC until more input comes, and answers every RPC then, in
/// order, with <c>&lt;data&gt;&lt;n&gt;message-id&lt;/n&gt;&lt;/data&gt;</c>.
/// </summary>
internal sealed partial class WithholdingNetconfChannel(string serverHello) : INetconfChannel
{
    private readonly Channel<byte[]> _toClient = Channel.CreateUnbounded<byte[]>();
    private readonly List<string> _held = [];
    private ReadOnlyMemory<byte> _current;

    public List<string> RpcIds { get; } = [];

    public TaskCompletionSource FirstRpc { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Start() => _toClient.Writer.TryWrite(Encoding.UTF8.GetBytes(serverHello));

    public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        var text = Encoding.UTF8.GetString(bytes.Span);
        foreach (Match rpc in MessageId().Matches(text))
        {
            RpcIds.Add(rpc.Groups[1].Value);
            _held.Add(rpc.Groups[1].Value);
        }
        if (RpcIds.Count == 1 && _held.Count == 1)
        {
            FirstRpc.TrySetResult();
        }
        else if (RpcIds.Count > 1)
        {
            foreach (var id in _held)
            {
                _toClient.Writer.TryWrite(Encoding.UTF8.GetBytes(
                    $"<rpc-reply message-id=\"{id}\" xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><data><n>{id}</n></data></rpc-reply>]]>]]>"));
            }
            _held.Clear();
        }
        return ValueTask.CompletedTask;
    }

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct)
    {
        while (_current.IsEmpty)
        {
            _current = await _toClient.Reader.ReadAsync(ct);
        }
        int count = Math.Min(buffer.Length, _current.Length);
        _current[..count].CopyTo(buffer);
        _current = _current[count..];
        return count;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [GeneratedRegex("<rpc message-id=\"(\\d+)\"")]
    private static partial Regex MessageId();
}
