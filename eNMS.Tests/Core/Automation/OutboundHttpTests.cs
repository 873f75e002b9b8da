using System.Net;
using eNMS.Core.Automation.Handlers;
using eNMS.Tests.TestSupport;
using Microsoft.Extensions.Options;

namespace eNMS.Tests.Core.Automation;

public sealed class OutboundHttpTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.20.0.1", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("fd00::1", "private")]
    [InlineData("198.18.0.1", "benchmarking")]
    [InlineData("198.19.255.254", "benchmarking")]
    [InlineData("240.0.0.1", "reserved")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("192.0.2.2", "documentation")]
    [InlineData("198.51.100.1", "documentation")]
    [InlineData("203.0.113.7", "documentation")]
    [InlineData("2001:db8::1", "documentation")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("100.64.0.1", "shared address space")]
    [InlineData("0.1.2.3", "\"this network\"")]
    [InlineData("192.0.0.8", "IETF protocol assignment")]
    [InlineData("2002:7f00:1::", "loopback (embedded 127.0.0.1)")]
    [InlineData("2002:a00:1::", "private (embedded 10.0.0.1)")]
    [InlineData("64:ff9b::a9fe:a9fe", "link-local (embedded 169.254.169.254)")]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", "documentation (embedded 192.0.2.45)")]
    [InlineData("2001:0:c000:0201::1", "documentation (embedded 192.0.2.1)")]
    [InlineData("::ffff:198.18.0.1", "benchmarking")]
    [InlineData("::7f00:1", "loopback (embedded 127.0.0.1)")]
    public void Internal_addresses_are_refused(string address, string why)
    {
        using var http = new OutboundHttp(Options.Create(new OutboundOptions()));
        Assert.Equal(why, http.Refusal(IPAddress.Parse(address)));
    }

    [Fact]
    public void Public_and_allow_listed_addresses_pass()
    {
        using var http = new OutboundHttp(Options.Create(new OutboundOptions { AllowedNetworks = ["127.0.0.0/8", "198.18.0.0/15"] }));
        Assert.Null(http.Refusal(IPAddress.Parse("9.9.9.9")));
        Assert.Null(http.Refusal(IPAddress.Parse("2620:fe::fe")));
        Assert.Null(http.Refusal(IPAddress.Parse("127.0.0.1")));
        Assert.Null(http.Refusal(IPAddress.Parse("198.18.0.1")));
    }

    [Fact]
    public void The_hosts_own_addresses_are_refused()
    {
        using var http = new OutboundHttp(Options.Create(new OutboundOptions()));
        var own = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(u => u.Address).ToList();
        Assert.NotEmpty(own);
        Assert.All(own, a => Assert.NotNull(http.Refusal(a)));
    }

    [Fact]
    public async Task A_URL_with_credentials_is_refused_and_masked()
    {
        using var http = new OutboundHttp(Options.Create(new OutboundOptions { AllowedNetworks = ["127.0.0.1/32"] }));
        var error = await Assert.ThrowsAsync<OutboundBlockedException>(() =>
            http.SendAsync(new Uri("http://admin:hunter2@127.0.0.1:9/"), u => new HttpRequestMessage(HttpMethod.Get, u), CancellationToken.None));
        Assert.Contains("Authorization header", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", OutboundHttp.Mask(new Uri("https://admin:hunter2@example.net/x")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_huge_reply_is_streamed_and_cut_at_the_limit()
    {
        await using var server = await LoopbackHttp.StartAsync(async response =>
        {
            // 64 MB, written in chunks: the client must stop reading, not buffer it.
            var chunk = new byte[1024 * 1024];
            Array.Fill(chunk, (byte)'x');
            for (var i = 0; i < 64; i++)
            {
                await response.OutputStream.WriteAsync(chunk);
            }
        });
        using var http = new OutboundHttp(Options.Create(new OutboundOptions { AllowedNetworks = ["127.0.0.1/32"], MaxReplyBytes = 1024 * 1024 }));
        var before = GC.GetTotalAllocatedBytes();
        using var response = await http.SendAsync(server.Url, u => new HttpRequestMessage(HttpMethod.Get, u), CancellationToken.None);
        var reply = await http.ReadReplyAsync(response, CancellationToken.None);
        Assert.True(reply.Cut);
        Assert.Contains("[eNMS: reply cut at 1,048,576 bytes (Automation:Outbound:MaxReplyBytes)]", reply.Text, StringComparison.Ordinal);
        Assert.True(GC.GetTotalAllocatedBytes() - before < 32 * 1024 * 1024, "the reply was buffered whole");
    }

    [Fact]
    public async Task A_call_to_loopback_is_refused_at_connect_time_with_the_reason()
    {
        using var http = new OutboundHttp(Options.Create(new OutboundOptions()));
        var error = await Assert.ThrowsAsync<OutboundBlockedException>(() =>
            http.SendAsync(new Uri("http://localhost:9/"), u => new HttpRequestMessage(HttpMethod.Get, u), CancellationToken.None));
        Assert.Contains("loopback", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redirects_to_internal_addresses_are_checked_too()
    {
        // An allow-listed local server that redirects to the metadata address must not be followed there.
        using var listener = new HttpListener();
        var port = Random.Shared.Next(20_000, 40_000);
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var serve = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            context.Response.StatusCode = 302;
            context.Response.RedirectLocation = "http://169.254.169.254/latest/meta-data/";
            context.Response.Close();
        });
        using var http = new OutboundHttp(Options.Create(new OutboundOptions { AllowedNetworks = ["127.0.0.1/32"] }));
        var error = await Assert.ThrowsAsync<OutboundBlockedException>(() =>
            http.SendAsync(new Uri($"http://127.0.0.1:{port}/"), u => new HttpRequestMessage(HttpMethod.Get, u), CancellationToken.None));
        Assert.Contains("link-local", error.Message, StringComparison.Ordinal);
        await serve;
    }
}
