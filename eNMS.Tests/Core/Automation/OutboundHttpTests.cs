using System.Net;
using eNMS.Core.Automation.Handlers;
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
    public void Internal_addresses_are_refused(string address, string why)
    {
        using var http = new OutboundHttp(Options.Create(new OutboundOptions()));
        Assert.Equal(why, http.Refusal(IPAddress.Parse(address)));
    }

    [Fact]
    public void Public_and_allow_listed_addresses_pass()
    {
        using var http = new OutboundHttp(Options.Create(new OutboundOptions { AllowedNetworks = ["127.0.0.0/8"] }));
        Assert.Null(http.Refusal(IPAddress.Parse("203.0.113.7")));
        Assert.Null(http.Refusal(IPAddress.Parse("127.0.0.1")));
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
