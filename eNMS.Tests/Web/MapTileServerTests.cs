using eNMS.Web.Security;

namespace eNMS.Tests.Web;

public sealed class MapTileServerTests
{
    [Fact]
    public void Without_a_tile_server_images_come_only_from_the_app()
    {
        Assert.Null(SecurityHeaders.TileOrigin(null));
        Assert.Null(SecurityHeaders.TileOrigin(""));
        Assert.Null(SecurityHeaders.TileOrigin("file:///tiles/{z}/{x}/{y}.png"));
        Assert.Contains("img-src 'self' data:;", SecurityHeaders.ContentSecurityPolicy("n", null), StringComparison.Ordinal);
    }

    [Fact]
    public void A_configured_tile_server_is_allowed_as_an_image_source_and_nothing_more()
    {
        var origin = SecurityHeaders.TileOrigin("https://tiles.example.org:8443/osm/{z}/{x}/{y}.png");
        Assert.Equal("https://tiles.example.org:8443", origin);
        var policy = SecurityHeaders.ContentSecurityPolicy("n", origin);
        Assert.Contains("img-src 'self' data: https://tiles.example.org:8443;", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self' 'nonce-n';", policy, StringComparison.Ordinal);
    }
}
