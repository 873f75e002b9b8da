using System.Text;
using System.Xml.Linq;
using eNMS.Drivers;
using eNMS.Drivers.Netconf;
using Microsoft.Extensions.Time.Testing;

namespace eNMS.Tests.Drivers.Netconf;

/// <summary>The NETCONF client on recorded netconfd sessions and on servers written byte by byte.</summary>
public class NetconfSessionTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static DeviceTarget Target(double commandSeconds = 10) =>
        new("nc1", "127.0.0.1", "linux", new DeviceCredential("u", "p"))
        {
            Port = 830,
            Timeouts = new DeviceTimeouts(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(commandSeconds)),
        };

    private const string Hello10 = "<?xml version=\"1.0\"?><hello xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><capabilities>" +
        "<capability>urn:ietf:params:netconf:base:1.0</capability>" +
        "<capability>urn:ietf:params:netconf:capability:writable-running:1.0</capability>" +
        "</capabilities><session-id>7</session-id></hello>]]>]]>";

    private static string Reply(string id, string body) =>
        $"<rpc-reply message-id=\"{id}\" xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">{body}</rpc-reply>]]>]]>";

    [Theory]
    [InlineData("netconfd-base10.bin", false, NetconfFraming.EndOfMessage)]
    [InlineData("netconfd-base11.bin", true, NetconfFraming.Chunked)]
    public async Task A_recorded_netconfd_session_reads_data_and_types_its_rpc_error(string recording, bool base11, NetconfFraming framing)
    {
        var channel = new RecordedNetconfChannel(RecordedNetconfChannel.Recording(recording)) { ReadSize = 97 };
        await using var session = await NetconfSession.OpenAsync(channel, Target(), new NetconfOptions { AnnounceBase11 = base11 }, null, None);

        Assert.Equal(framing, session.Framing);
        Assert.True(session.HasCandidate);
        Assert.True(session.HasConfirmedCommit);
        Assert.True(session.HasValidate);
        Assert.Contains(session.ServerCapabilities, c => c.StartsWith("urn:ietf:params:xml:ns:yang:ietf-interfaces?module=ietf-interfaces", StringComparison.Ordinal));
        var data = await session.GetConfigAsync(NetconfDatastore.Running,
            new NetconfFilter(NetconfFilterType.Subtree, "<system xmlns=\"urn:ietf:params:xml:ns:yang:ietf-system\"/>"), None);
        Assert.Equal("nc-candidate", Assert.IsType<Dictionary<string, object?>>(NetconfXml.ToModel(data)["system"])["hostname"]);

        var error = await Assert.ThrowsAsync<NetconfRpcException>(() => session.EditConfigAsync(NetconfDatastore.Candidate,
            "<interfaces xmlns=\"urn:ietf:params:xml:ns:yang:ietf-interfaces\"><interface><name>eth0</name><enabled>maybe</enabled></interface></interfaces>",
            NetconfDefaultOperation.Merge, None));

        Assert.Equal("edit-config", error.Operation);
        Assert.Equal("invalid-value", error.Tag);
        var first = Assert.Single(error.Errors);
        Assert.Equal("invalid value", first.Message);
        Assert.Equal("/nc:rpc/nc:edit-config/nc:config/if:interfaces/if:interface[if:name='eth0']/if:enabled", first.Path);
        Assert.Equal("protocol", first.Type);
        Assert.Contains("bad-value maybe", first.Info, StringComparison.Ordinal);
        Assert.StartsWith("nc1: NETCONF edit-config refused: invalid value (path /nc:rpc", error.Message, StringComparison.Ordinal);
        Assert.True(session.IsUsable);
        // What the client sent: its hello end-of-message framed, then each rpc in the negotiated framing.
        Assert.EndsWith("</hello>]]>]]>", Encoding.UTF8.GetString(channel.Writes[0]), StringComparison.Ordinal);
        var rpc = Encoding.UTF8.GetString(channel.Writes[1]);
        Assert.True(framing == NetconfFraming.Chunked ? rpc.StartsWith("\n#", StringComparison.Ordinal) && rpc.EndsWith("\n##\n", StringComparison.Ordinal)
            : rpc.EndsWith("]]>]]>", StringComparison.Ordinal), rpc);
        Assert.Contains("message-id=\"2\"", Encoding.UTF8.GetString(channel.Writes[2]), StringComparison.Ordinal);
        Assert.Contains(base11 ? NetconfSession.Base11 : NetconfSession.Base10, Encoding.UTF8.GetString(channel.Writes[0]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operations_on_a_datastore_the_server_lacks_are_refused_before_anything_is_sent()
    {
        var channel = new RecordedNetconfChannel(Encoding.UTF8.GetBytes(Hello10));
        await using var session = await NetconfSession.OpenAsync(channel, Target(), null, null, None);
        Assert.Equal(NetconfFraming.EndOfMessage, session.Framing);
        Assert.Equal("7", session.SessionId);
        var written = channel.Writes.Count;

        var edit = await Assert.ThrowsAsync<NetconfCapabilityException>(() =>
            session.EditConfigAsync(NetconfDatastore.Candidate, "<x xmlns=\"urn:x\"/>", NetconfDefaultOperation.Merge, None));
        var commit = await Assert.ThrowsAsync<NetconfCapabilityException>(() => session.CommitAsync(null, None));
        var validate = await Assert.ThrowsAsync<NetconfCapabilityException>(() => session.ValidateAsync(NetconfDatastore.Running, None));

        Assert.Contains("does not announce :candidate", edit.Message, StringComparison.Ordinal);
        Assert.Contains(":writable-running: edit the running datastore instead", edit.Message, StringComparison.Ordinal);
        Assert.StartsWith("nc1: ", commit.Message, StringComparison.Ordinal);
        Assert.Contains(":validate", validate.Message, StringComparison.Ordinal);
        Assert.Equal(written, channel.Writes.Count);
    }

    [Fact]
    public async Task A_reply_to_another_message_id_makes_the_session_unusable()
    {
        var channel = new RecordedNetconfChannel(Encoding.UTF8.GetBytes(Hello10 + Reply("9", "<ok/>")));
        await using var session = await NetconfSession.OpenAsync(channel, Target(), null, null, None);

        var error = await Assert.ThrowsAsync<DeviceException>(() => session.LockAsync(NetconfDatastore.Running, None));

        Assert.Contains("message-id 9 is not 1", error.Message, StringComparison.Ordinal);
        Assert.False(session.IsUsable);
        await Assert.ThrowsAsync<DeviceConnectionException>(() => session.UnlockAsync(NetconfDatastore.Running, None));
    }

    [Fact]
    public async Task A_server_that_stops_answering_times_out_and_a_dropped_one_is_a_lost_connection()
    {
        var silent = new RecordedNetconfChannel(Encoding.UTF8.GetBytes(Hello10 + "<rpc-reply message-id=\"1\""));
        await using (var session = await NetconfSession.OpenAsync(silent, Target(commandSeconds: 0.3), null, null, None))
        {
            var timeout = await Assert.ThrowsAsync<DeviceTimeoutException>(() => session.GetAsync(null, None));
            Assert.Contains("no complete reply within 0.3 s", timeout.Message, StringComparison.Ordinal);
            Assert.False(session.IsUsable);
        }
        Assert.True(silent.Disposed);

        var dropped = new RecordedNetconfChannel(Encoding.UTF8.GetBytes(Hello10 + "<rpc-reply message-id=\"1\"")) { CloseWhenDone = true };
        await using var second = await NetconfSession.OpenAsync(dropped, Target(), null, null, None);
        var lost = await Assert.ThrowsAsync<DeviceConnectionException>(() => second.GetAsync(null, None));
        Assert.Contains("connection lost before the reply ended (25 bytes of it received)", lost.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_a_request_stops_the_wait_and_retires_the_session()
    {
        var channel = new RecordedNetconfChannel(Encoding.UTF8.GetBytes(Hello10));
        await using var session = await NetconfSession.OpenAsync(channel, Target(), null, null, None);
        var writesBefore = channel.Writes.Count;
        using var cancel = new CancellationTokenSource();

        // Cancelled once the request is on its way (a cancel before anything is sent leaves the session as it was).
        var request = session.GetAsync(null, cancel.Token);
        using (var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
        {
            while (channel.Writes.Count == writesBefore)
            {
                await Task.Delay(10, patience.Token);
            }
        }
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);

        Assert.False(session.IsUsable);
    }

    [Fact]
    public async Task A_reply_over_the_size_limit_fails_and_closes_the_session()
    {
        var big = Reply("1", "<data>" + new string('x', 5000) + "</data>");
        var channel = new RecordedNetconfChannel(Encoding.UTF8.GetBytes(Hello10 + big));
        await using var session = await NetconfSession.OpenAsync(channel, Target(), new NetconfOptions { MaxReplyBytes = 4096 }, null, None);

        var error = await Assert.ThrowsAsync<DeviceException>(() => session.GetAsync(null, None));

        Assert.Contains("exceeds the limit of 4,096 bytes", error.Message, StringComparison.Ordinal);
        Assert.False(session.IsUsable);
    }

    [Fact]
    public async Task Warnings_do_not_fail_an_operation_and_a_document_type_declaration_is_refused()
    {
        var warning = "<rpc-error><error-type>application</error-type><error-tag>operation-failed</error-tag>" +
            "<error-severity>warning</error-severity><error-message>deprecated leaf</error-message></rpc-error><ok/>";
        var dtd = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>" +
            "<rpc-reply message-id=\"2\" xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><data>&e;</data></rpc-reply>]]>]]>";
        var channel = new RecordedNetconfChannel(Encoding.UTF8.GetBytes(Hello10 + Reply("1", warning) + dtd));
        await using var session = await NetconfSession.OpenAsync(channel, Target(), null, null, None);

        await session.LockAsync(NetconfDatastore.Running, None);
        var refused = await Assert.ThrowsAsync<DeviceException>(() => session.GetAsync(null, None));

        Assert.Equal("deprecated leaf (tag operation-failed)", Assert.Single(session.Warnings).ToString());
        Assert.Contains("not well-formed XML", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_payload_is_unwrapped_from_config_and_malformed_xml_is_refused_with_its_position()
    {
        var wrapped = NetconfPayloads.ConfigElement("<config xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><a xmlns=\"urn:a\"/><b xmlns=\"urn:b\"/></config>");
        var bare = NetconfPayloads.ConfigElement("<a xmlns=\"urn:a\"/>\n<b xmlns=\"urn:b\">1</b>");

        Assert.Equal(NetconfSession.Base + "config", wrapped.Name);
        Assert.Equal([XName.Get("a", "urn:a"), XName.Get("b", "urn:b")], wrapped.Elements().Select(e => e.Name));
        Assert.Equal([XName.Get("a", "urn:a"), XName.Get("b", "urn:b")], bare.Elements().Select(e => e.Name));
        var malformed = Assert.Throws<ArgumentException>(() => NetconfPayloads.ConfigElement("<a xmlns=\"urn:a\">\n<b></a>"));
        Assert.Contains("not well-formed XML", malformed.Message, StringComparison.Ordinal);
        Assert.Contains("Line 2", malformed.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => NetconfPayloads.ConfigElement("just text"));
    }

    [Fact]
    public void Data_reads_as_indented_xml_and_as_a_model_with_lists_for_repeated_elements()
    {
        var data = XElement.Parse("<data xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><interfaces xmlns=\"urn:if\">" +
            "<interface><name>eth0</name><enabled>true</enabled></interface><interface><name>eth1</name><enabled/></interface></interfaces></data>");

        var model = NetconfXml.ToModel(data);
        var text = NetconfXml.Indented(data);

        var interfaces = Assert.IsType<List<object?>>(Assert.IsType<Dictionary<string, object?>>(model["interfaces"])["interface"]);
        Assert.Equal("eth1", Assert.IsType<Dictionary<string, object?>>(interfaces[1])["name"]);
        Assert.Equal("", Assert.IsType<Dictionary<string, object?>>(interfaces[1])["enabled"]);
        Assert.Equal("<interfaces xmlns=\"urn:if\">\n  <interface>\n    <name>eth0</name>\n    <enabled>true</enabled>\n  </interface>\n" +
            "  <interface>\n    <name>eth1</name>\n    <enabled />\n  </interface>\n</interfaces>\n", text);
        Assert.Equal("", NetconfXml.Indented(new XElement(NetconfSession.Base + "data")));
    }

    [Fact]
    public void Indented_data_keeps_the_prefix_declarations_its_values_use()
    {
        var reply = XElement.Parse("<rpc-reply xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\" xmlns:ianaift=\"urn:iana-if-type\" xmlns:unused=\"urn:u\">" +
            "<data><interfaces xmlns=\"urn:if\"><interface><type>ianaift:ethernetCsmacd</type></interface></interfaces></data></rpc-reply>");

        var text = NetconfXml.Indented(reply.Element(NetconfSession.Base + "data")!);

        Assert.StartsWith("<interfaces xmlns=\"urn:if\" xmlns:ianaift=\"urn:iana-if-type\">", text, StringComparison.Ordinal);
        Assert.DoesNotContain("unused", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_sitting_on_the_first_rpc_is_nudged_by_a_no_op_whose_reply_is_skipped()
    {
        var time = new FakeTimeProvider();
        var channel = new WithholdingNetconfChannel(Hello10);
        channel.Start();
        await using var session = await NetconfSession.OpenAsync(channel, Target(), null, time, None);

        var first = session.GetConfigAsync(NetconfDatastore.Running, null, None);
        await channel.FirstRpc.Task;
        Assert.False(first.IsCompleted);
        // The session's clock moves a second at a time (its timer may not be set yet when the RPC is written); the
        // command timeout (10 s) would end it as a failure, not a hang.
        for (var tick = 0; tick < 15 && !first.IsCompleted; tick++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }

        Assert.Equal("1", (await first).Descendants().Single(e => e.Name.LocalName == "n").Value);
        // The no-op went out as message 2; the next RPC (3) gets its own reply, the no-op's is skipped on the way.
        var second = await session.GetConfigAsync(NetconfDatastore.Running, null, None);
        Assert.Equal("3", second.Descendants().Single(e => e.Name.LocalName == "n").Value);
        Assert.Equal(["1", "2", "3"], channel.RpcIds);
        Assert.True(session.IsUsable);
    }
}
