using System.Net;
using System.Net.Http.Json;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Drivers.Cli;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>/api/hostkeys: the list shows refused keys, accept pins exactly the offered fingerprint, forget; both
/// audited by the same Core method the page uses.</summary>
public sealed class HostKeysApiTests : IAsyncLifetime
{
    private const string Host = "[127.0.0.9]:2222";
    private static readonly string Route = "/api/hostkeys/" + Uri.EscapeDataString(Host);
    private readonly EnmsAppFactory _app = new();
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _admin = await _app.CreateClientAsync(Roles.Admin);
        await using var db = await Db().CreateDbContextAsync();
        db.KnownHostKeys.Add(new KnownHostKey
        {
            Host = Host,
            Fingerprint = "SHA256:old",
            Algorithm = "ssh-rsa",
            FirstSeen = DateTimeOffset.UnixEpoch,
            OfferedFingerprint = "SHA256:new",
            OfferedAlgorithm = "ssh-ed25519",
            OfferedAt = DateTimeOffset.UnixEpoch,
            OfferedDevice = "r9",
        });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private IDbContextFactory<EnmsDbContext> Db() => _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>();

    [Fact]
    public async Task Accept_pins_the_offered_fingerprint_only_and_is_audited()
    {
        var listed = await _admin.GetStringAsync("/api/hostkeys");
        Assert.Contains("\"offeredFingerprint\":\"SHA256:new\"", listed, StringComparison.Ordinal);
        Assert.Contains("\"offeredDevice\":\"r9\"", listed, StringComparison.Ordinal);

        var other = await _admin.PostAsJsonAsync(Route + "/accept", new { fingerprint = "SHA256:something-else" });
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        var unknown = await _admin.PostAsJsonAsync("/api/hostkeys/127.0.0.10/accept", new { fingerprint = "SHA256:new" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var accepted = await _admin.PostAsJsonAsync(Route + "/accept", new { fingerprint = "SHA256:new" });
        Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);

        await using var db = await Db().CreateDbContextAsync();
        var key = await db.KnownHostKeys.SingleAsync();
        Assert.Equal(("SHA256:new", "ssh-ed25519", null), (key.Fingerprint, key.Algorithm, key.OfferedFingerprint));
        Assert.False(string.IsNullOrEmpty(key.PinnedBy));
        var known = _app.Services.GetRequiredService<KnownHosts>();
        Assert.Null(known.Check(Host, "SHA256:new"));
        Assert.Equal("SHA256:new", known.Check(Host, "SHA256:third"));
        var entry = await db.AuditEntries.SingleAsync(a => a.Action == "host key accept");
        Assert.Equal((key.PinnedBy, Host, "SHA256:old → SHA256:new"), (entry.User, entry.TargetName, entry.After));
        // Accepted once: the same call again has no refused key to accept.
        Assert.Equal(HttpStatusCode.Conflict, (await _admin.PostAsJsonAsync(Route + "/accept", new { fingerprint = "SHA256:new" })).StatusCode);
    }

    [Fact]
    public async Task Forget_deletes_the_key_and_is_audited()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync(Route)).StatusCode);

        await using var db = await Db().CreateDbContextAsync();
        Assert.False(await db.KnownHostKeys.AnyAsync());
        Assert.Equal("SHA256:old", (await db.AuditEntries.SingleAsync(a => a.Action == "host key forget")).After);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.DeleteAsync(Route)).StatusCode);
    }

    [Fact]
    public async Task An_editor_cannot_accept_a_key()
    {
        var editor = await _app.CreateClientAsync(Roles.Editor);

        var refused = await editor.PostAsJsonAsync(Route + "/accept", new { fingerprint = "SHA256:new" });

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        await using var db = await Db().CreateDbContextAsync();
        Assert.Equal("SHA256:old", (await db.KnownHostKeys.SingleAsync()).Fingerprint);
    }
}
