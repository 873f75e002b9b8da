using eNMS.Core.Automation.Execution;
using eNMS.Core.Security;
using eNMS.Drivers;
using eNMS.Drivers.Cli;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace eNMS.Tests.Core.Security;

/// <summary>The host key store on a real (in-memory SQLite) database with the drivers' known-hosts check: a refused
/// key is recorded, and accepting pins exactly that fingerprint.</summary>
public sealed class HostKeyStoreTests : IDisposable
{
    private const string Host = "[127.0.0.5]:2222";
    private readonly TestDatabase _db = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero));
    private readonly KnownHosts _known;
    private readonly HostKeyStore _store;
    private readonly AuditActor _admin = new("root-admin", "127.0.0.1");

    public HostKeyStoreTests()
    {
        _known = new KnownHosts(HostKeyPolicy.TrustOnFirstUse, _time);
        _store = new HostKeyStore(_db, _known, _time, new AuditLog(_db, _time));
    }

    public void Dispose() => _db.Dispose();

    private async Task<KnownHostKey> StoredAsync()
    {
        await using var db = _db.CreateDbContext();
        return await db.KnownHostKeys.AsNoTracking().SingleAsync(k => k.Host == Host);
    }

    [Fact]
    public async Task A_refused_key_is_recorded_and_accepting_it_pins_exactly_that_fingerprint_a_third_key_is_refused_again()
    {
        Assert.Null(_known.Check(Host, "SHA256:first", "ssh-ed25519", "r1"));
        await _store.SaveAsync(default);
        var learned = await StoredAsync();
        Assert.Equal(("SHA256:first", "ssh-ed25519", null), (learned.Fingerprint, learned.Algorithm, learned.PinnedBy));

        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal("SHA256:first", _known.Check(Host, "SHA256:second", "ecdsa-sha2-nistp256", "r1"));
        await _store.SaveAsync(default);
        var refused = await StoredAsync();
        Assert.Equal("SHA256:first", refused.Fingerprint);
        Assert.Equal(("SHA256:second", "ecdsa-sha2-nistp256", "r1", _time.GetUtcNow()),
            (refused.OfferedFingerprint, refused.OfferedAlgorithm, refused.OfferedDevice, refused.OfferedAt));
        Assert.Empty(_known.Refused);

        // Only the fingerprint that was offered can be accepted; anything else changes nothing.
        Assert.Equal(HostKeyAcceptance.NotOffered, await _store.AcceptOfferedAsync(Host, "SHA256:third", _admin, default));
        Assert.Equal(HostKeyAcceptance.UnknownHost, await _store.AcceptOfferedAsync("[127.0.0.6]:2222", "SHA256:second", _admin, default));
        Assert.Equal("SHA256:first", (await StoredAsync()).Fingerprint);

        Assert.Equal(HostKeyAcceptance.Accepted, await _store.AcceptOfferedAsync(Host, "SHA256:second", _admin, default));
        var accepted = await StoredAsync();
        Assert.Equal(("SHA256:second", "ecdsa-sha2-nistp256", "root-admin", null),
            (accepted.Fingerprint, accepted.Algorithm, accepted.PinnedBy, accepted.OfferedFingerprint));
        Assert.Null(_known.Check(Host, "SHA256:second"));
        // The device offering yet another key (or the old one) is refused again, and that offer is shown in turn.
        Assert.Equal("SHA256:second", _known.Check(Host, "SHA256:third", "ssh-rsa", "r1"));
        Assert.Equal("SHA256:second", _known.Check(Host, "SHA256:first", "ssh-ed25519", "r1"));
        await _store.SaveAsync(default);
        Assert.Equal("SHA256:first", (await StoredAsync()).OfferedFingerprint);

        await using var db = _db.CreateDbContext();
        var entry = await db.AuditEntries.SingleAsync(a => a.Action == "host key accept");
        Assert.Equal(("root-admin", Host, "SHA256:first → SHA256:second"), (entry.User, entry.TargetName, entry.After));
    }

    [Fact]
    public async Task An_accepted_key_is_trusted_after_a_restart_and_the_old_one_is_not()
    {
        _known.Check(Host, "SHA256:first");
        _known.Check(Host, "SHA256:second", "ssh-ed25519", "r1");
        await _store.SaveAsync(default);
        await _store.AcceptOfferedAsync(Host, "SHA256:second", _admin, default);

        var restarted = new KnownHosts(HostKeyPolicy.TrustOnFirstUse, _time);
        await new HostKeyStore(_db, restarted, _time, new AuditLog(_db, _time)).LoadAsync(default);

        Assert.Null(restarted.Check(Host, "SHA256:second"));
        Assert.Equal("SHA256:second", restarted.Check(Host, "SHA256:first"));
    }

    [Fact]
    public async Task Forgetting_a_key_is_audited_with_the_fingerprint_that_was_trusted()
    {
        _known.Check(Host, "SHA256:first");
        await _store.SaveAsync(default);

        Assert.True(await _store.ForgetAsync(Host, _admin, default));

        await using var db = _db.CreateDbContext();
        Assert.False(await db.KnownHostKeys.AnyAsync());
        var entry = await db.AuditEntries.SingleAsync(a => a.Action == "host key forget");
        Assert.Equal(("root-admin", Host, "SHA256:first"), (entry.User, entry.TargetName, entry.After));
        Assert.False(await _store.ForgetAsync(Host, _admin, default));
    }

    [Fact]
    public void The_refusal_says_how_to_accept_the_new_key()
    {
        var refusal = new HostKeyMismatchException("r1", "SHA256:first", "SHA256:second", Host);

        Assert.Contains("an admin can accept the new key on the Host keys page (/admin/hostkeys)", refusal.Message, StringComparison.Ordinal);
        Assert.StartsWith("r1: host key changed: expected SHA256:first, got SHA256:second", refusal.Message, StringComparison.Ordinal);
    }
}
