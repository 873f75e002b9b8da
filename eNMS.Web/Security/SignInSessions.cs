using System.Security.Claims;
using System.Security.Cryptography;
using eNMS.Core.Data;
using eNMS.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Web.Security;

/// <summary>
/// Each cookie sign-in gets a random session id (a claim inside the protected cookie). Signing out records the id as
/// revoked in the database, so a copy of that cookie is refused afterwards on every node — the cookie itself cannot
/// be recalled from wherever it was copied to. Cookies issued before session ids existed carry none and stay valid
/// until they expire (8 hours at most).
/// </summary>
public sealed class SignInSessions(IDbContextFactory<EnmsDbContext> dbFactory, TimeProvider time)
{
    public const string ClaimType = "enms:session";

    /// <summary>Revocations are kept this long: past it the cookie has expired anyway (8 h lifetime, sliding).</summary>
    private static readonly TimeSpan KeepFor = TimeSpan.FromHours(9);

    public static string? IdOf(ClaimsPrincipal principal) => principal.FindFirstValue(ClaimType);

    public async Task<bool> IsRevokedAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        if (IdOf(principal) is not { } id)
        {
            return false;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.RevokedSessions.AnyAsync(s => s.Id == id, ct);
    }

    /// <summary>Ends the principal's session server-side, and forgets revocations old enough to be moot.</summary>
    public async Task RevokeAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        if (IdOf(principal) is not { } id)
        {
            return;
        }
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Filtered here: SQLite cannot compare DateTimeOffset in SQL, and the table only holds the last hours' sign-outs.
        db.RevokedSessions.RemoveRange((await db.RevokedSessions.ToListAsync(ct)).Where(s => s.ExpiresAt < now));
        if (!await db.RevokedSessions.AnyAsync(s => s.Id == id, ct))
        {
            db.RevokedSessions.Add(new RevokedSession { Id = id, ExpiresAt = now + KeepFor });
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>Wires session ids into the sign-in cookie: given at sign-in and checked on every request before
    /// Identity's own validation.</summary>
    internal static void Configure(CookieAuthenticationOptions cookie)
    {
        var signingIn = cookie.Events.OnSigningIn;
        cookie.Events.OnSigningIn = context =>
        {
            if (context.Principal?.Identity is ClaimsIdentity identity && !identity.HasClaim(c => c.Type == ClaimType))
            {
                identity.AddClaim(new Claim(ClaimType, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))));
            }
            return signingIn(context);
        };
        var validate = cookie.Events.OnValidatePrincipal;
        cookie.Events.OnValidatePrincipal = async context =>
        {
            var sessions = context.HttpContext.RequestServices.GetRequiredService<SignInSessions>();
            if (context.Principal is { } principal && await sessions.IsRevokedAsync(principal, context.HttpContext.RequestAborted))
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                return;
            }
            await validate(context);
        };
    }

    /// <summary>Identity rebuilds the principal when it re-checks the security stamp: the session id is carried over.</summary>
    internal static void Configure(SecurityStampValidatorOptions stamps)
    {
        var refreshing = stamps.OnRefreshingPrincipal;
        stamps.OnRefreshingPrincipal = async context =>
        {
            if (context.CurrentPrincipal is { } current && IdOf(current) is { } id && context.NewPrincipal?.Identity is ClaimsIdentity identity
                && !identity.HasClaim(c => c.Type == ClaimType))
            {
                identity.AddClaim(new Claim(ClaimType, id));
            }
            if (refreshing is not null)
            {
                await refreshing(context);
            }
        };
    }
}
