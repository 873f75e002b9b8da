using System.Text;
using eNMS.Drivers.Netconf;

namespace eNMS.Tests.Drivers.Netconf;

/// <summary>RFC 6242 framing, on bytes recorded from the lab's netconfd and on the RFC's own example.</summary>
public class NetconfFramerTests
{
    private static List<string> ReadAll(NetconfFramer framer, byte[] bytes, int readSize, Action<NetconfFramer, int>? afterMessage = null)
    {
        var messages = new List<string>();
        for (int i = 0; i < bytes.Length; i += readSize)
        {
            framer.Feed(bytes.AsSpan(i, Math.Min(readSize, bytes.Length - i)));
            while (framer.TryRead(out var message))
            {
                messages.Add(message);
                afterMessage?.Invoke(framer, messages.Count);
            }
        }
        return messages;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(65536)]
    public void End_of_message_framing_cuts_the_recorded_session_into_its_three_messages_whatever_the_read_sizes(int readSize)
    {
        var bytes = RecordedNetconfChannel.Recording("netconfd-base10.bin");

        var messages = ReadAll(new NetconfFramer(1 << 20), bytes, readSize);

        Assert.Equal(3, messages.Count);
        Assert.Contains("<session-id>", messages[0], StringComparison.Ordinal);
        Assert.Contains("<hostname>nc-candidate</hostname>", messages[1], StringComparison.Ordinal);
        Assert.Contains("<error-tag>invalid-value</error-tag>", messages[2], StringComparison.Ordinal);
        Assert.All(messages, m => Assert.DoesNotContain("]]>]]>", m, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(13)]
    [InlineData(65536)]
    public void Chunked_framing_follows_the_hello_in_the_recorded_base_1_1_session(int readSize)
    {
        var bytes = RecordedNetconfChannel.Recording("netconfd-base11.bin");

        // The hello is end-of-message framed; the session switches once it has been read.
        var messages = ReadAll(new NetconfFramer(1 << 20), bytes, readSize, (framer, count) =>
        {
            if (count == 1)
            {
                framer.Framing = NetconfFraming.Chunked;
            }
        });

        Assert.Equal(3, messages.Count);
        Assert.Contains(NetconfSession.Base11, messages[0], StringComparison.Ordinal);
        Assert.StartsWith("<?xml", messages[1], StringComparison.Ordinal);
        Assert.EndsWith("</rpc-reply>", messages[1], StringComparison.Ordinal);
        Assert.Contains("<hostname>nc-candidate</hostname>", messages[1], StringComparison.Ordinal);
        Assert.Contains("<error-message xml:lang=\"en\">invalid value</error-message>", messages[2], StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_in_several_chunks_is_joined_as_in_the_rfc_example()
    {
        // RFC 6242 §4.2.
        var bytes = Encoding.ASCII.GetBytes("\n#4\n<rpc\n#18\n message-id=\"102\"\n\n#79\n     xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">\n  <close-session/>\n</rpc>\n##\n");
        var framer = new NetconfFramer(1024) { Framing = NetconfFraming.Chunked };

        var messages = ReadAll(framer, bytes, 3);

        var message = Assert.Single(messages);
        Assert.Equal("<rpc message-id=\"102\"\n     xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">\n  <close-session/>\n</rpc>", message);
        Assert.Equal(0, framer.Pending);
    }

    [Theory]
    [InlineData("\n#0\n")]
    [InlineData("\n#012\nabc")]
    [InlineData("\n#abc\n")]
    [InlineData("\n#99999999999\n")]
    [InlineData("<rpc-reply/>")]
    [InlineData("\n##\n")]
    [InlineData("\n#3\nabc\n#x\n")]
    public void A_stream_that_breaks_chunked_framing_is_refused(string text)
    {
        var framer = new NetconfFramer(1 << 20) { Framing = NetconfFraming.Chunked };

        var error = Assert.Throws<NetconfFramingException>(() => ReadAll(framer, Encoding.ASCII.GetBytes(text), 64));

        Assert.NotEmpty(error.Message);
    }

    [Fact]
    public void A_chunk_announcing_more_than_the_limit_is_refused_before_its_bytes_arrive()
    {
        var framer = new NetconfFramer(1000) { Framing = NetconfFraming.Chunked };
        framer.Feed("\n#600\n"u8);
        framer.Feed(new byte[600]);
        Assert.False(framer.TryRead(out _));

        framer.Feed("\n#401\n"u8);

        var error = Assert.Throws<NetconfFramingException>(() => framer.TryRead(out _));
        Assert.Contains("1,000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_end_of_message_stream_longer_than_the_limit_is_refused_without_its_marker()
    {
        var framer = new NetconfFramer(1000);
        framer.Feed(new byte[999]);
        Assert.False(framer.TryRead(out _));

        framer.Feed(new byte[2]);

        Assert.Throws<NetconfFramingException>(() => framer.TryRead(out _));
    }

    [Theory]
    [InlineData(NetconfFraming.EndOfMessage)]
    [InlineData(NetconfFraming.Chunked)]
    public void A_framed_message_reads_back_whole_even_when_a_multibyte_character_is_split(NetconfFraming framing)
    {
        var text = "<rpc-reply message-id=\"1\"><data><description>Zürich – 東京 ]]&gt;</description></data></rpc-reply>";
        var bytes = NetconfFramer.Frame(text, framing).Concat(NetconfFramer.Frame("<second/>", framing)).ToArray();

        var messages = ReadAll(new NetconfFramer(1 << 20) { Framing = framing }, bytes, 1);

        Assert.Equal([text, "<second/>"], messages);
        if (framing == NetconfFraming.Chunked)
        {
            Assert.StartsWith($"\n#{Encoding.UTF8.GetByteCount(text)}\n", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        }
    }
}
