using System.Security.Cryptography;
using System.Text;
using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Security;

/// <summary>Creates, checks and revokes personal API tokens. A token is <c>enms_</c> + 32 random bytes (base64url).</summary>
public sealed class ApiTokens(IDbContextFactory<EnmsDbContext> dbFactory, TimeProvider time)
{
    public const string TokenPrefix = "enms_";

    public static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Returns the token (to show once) and its stored record.</summary>
    public async Task<(string Token, ApiToken Record)> CreateAsync(string userId, string name, TimeSpan lifetime, CancellationToken ct)
    {
        var token = TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = time.GetUtcNow();
        var record = new ApiToken
        {
            UserId = userId,
            Name = string.IsNullOrWhiteSpace(name) ? "token" : name.Trim(),
            Hash = HashOf(token),
            Prefix = token[..(TokenPrefix.Length + 4)],
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.ApiTokens.Add(record);
        await db.SaveChangesAsync(ct);
        return (token, record);
    }

    /// <summary>A token sign-in is recorded when the token was not used for this long (each API call is not).</summary>
    public static readonly TimeSpan SignInRecordedAfterIdle = TimeSpan.FromHours(1);

    /// <summary>At most one refused attempt is recorded per address, reason and token in this time.</summary>
    public static readonly TimeSpan RefusalRecordedEvery = TimeSpan.FromMinutes(1);

    private const int MaxRefusalKeys = 10_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _refusals = new(StringComparer.Ordinal);

    /// <summary>The user id of an active token, or why there is none (<see cref="TokenCheck.Problem"/>: unknown, revoked,
    /// expired, not an eNMS token). <see cref="TokenCheck.FirstUseAfterIdle"/>: no use for <see cref="SignInRecordedAfterIdle"/>.</summary>
    public async Task<TokenCheck> ValidateAsync(string token, CancellationToken ct)
    {
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length > 200)
        {
            return new TokenCheck(null, "not an eNMS token");
        }
        var hash = HashOf(token);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.ApiTokens.FirstOrDefaultAsync(t => t.Hash == hash, ct);
        var now = time.GetUtcNow();
        if (record is null || !record.IsActive(now))
        {
            return new TokenCheck(record?.UserId, record is null ? "unknown token" : record.RevokedAt is null ? "expired token" : "revoked token", record is null ? null : Label(record));
        }
        var idle = record.LastUsedAt is not { } last || now - last >= SignInRecordedAfterIdle;
        record.LastUsedAt = now;
        await db.SaveChangesAsync(ct);
        return new TokenCheck(record.UserId, null, Label(record), idle);
    }

    /// <summary>How the audit names a token: its id and name, never a part of its secret.</summary>
    private static string Label(ApiToken token) => $"token #{token.Id} '{token.Name}'";

    /// <summary>Whether a refused token request is to be recorded: not when the same address, reason and token were
    /// recorded less than <see cref="RefusalRecordedEvery"/> ago, so a script retrying a bad token does not flood the log.</summary>
    public bool RecordRefusal(string? ip, string reason, string? label)
    {
        var now = time.GetUtcNow();
        if (_refusals.Count >= MaxRefusalKeys)
        {
            _refusals.Clear();
        }
        var key = $"{ip}\n{reason}\n{label}";
        var recorded = false;
        _refusals.AddOrUpdate(key, _ => { recorded = true; return now; }, (_, last) =>
        {
            recorded = now - last >= RefusalRecordedEvery;
            return recorded ? now : last;
        });
        return recorded;
    }

    public async Task<List<ApiToken>> ListAsync(string userId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId).OrderByDescending(t => t.Id).ToListAsync(ct);
    }

    /// <summary>Revokes one of the user's tokens; false when it is not theirs or already revoked.</summary>
    public async Task<bool> RevokeAsync(string userId, int tokenId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == tokenId && t.UserId == userId && t.RevokedAt == null, ct);
        if (record is null)
        {
            return false;
        }
        record.RevokedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return true;
    }
}

/// <summary>How a bearer token checked out: its user (also for a revoked or expired token, whose owner the audit names),
/// why it is refused (null: accepted), the token as the audit names it (never its secret), and whether this is its first
/// use after an idle spell (then the sign-in is recorded).</summary>
public sealed record TokenCheck(string? UserId, string? Problem, string? Label = null, bool FirstUseAfterIdle = false);
