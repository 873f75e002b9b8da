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

    /// <summary>The user id of an active token, or null (unknown, revoked or expired).</summary>
    public async Task<string?> ValidateAsync(string token, CancellationToken ct)
    {
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length > 200)
        {
            return null;
        }
        var hash = HashOf(token);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.ApiTokens.FirstOrDefaultAsync(t => t.Hash == hash, ct);
        var now = time.GetUtcNow();
        if (record is null || !record.IsActive(now))
        {
            return null;
        }
        record.LastUsedAt = now;
        await db.SaveChangesAsync(ct);
        return record.UserId;
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
