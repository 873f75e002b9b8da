using eNMS.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace eNMS.Web.Security;

/// <summary>Sign-in and sign-out. They are plain form posts (antiforgery-checked) because an interactive component
/// cannot set a cookie; the login page is a static form that posts here.</summary>
internal static class AccountEndpoints
{
    public const string SignInRateLimit = "sign-in";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").ExcludeFromDescription();
        account.MapPost("/login", LoginAsync).AllowAnonymous().RequireRateLimiting(SignInRateLimit);
        account.MapPost("/logout", async (HttpContext http, SignInManager<EnmsUser> signIn, SignInSessions sessions, AuditLog audit) =>
        {
            // Deleting the cookie in this browser is not enough: a copy of it would still sign in.
            await sessions.RevokeAsync(http.User, http.RequestAborted);
            await audit.WriteAsync("sign-out", "user", targetName: http.User.AuditName(), ct: http.RequestAborted);
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/login");
        });
        account.MapPost("/logout-everywhere", async (HttpContext http, SignInManager<EnmsUser> signIn, UserManager<EnmsUser> users, AuditLog audit) =>
        {
            if (await users.GetUserAsync(http.User) is { } user)
            {
                // A new stamp invalidates every cookie and circuit of this user at their next check.
                await users.UpdateSecurityStampAsync(user);
            }
            await audit.WriteAsync("sign-out everywhere", "user", targetName: http.User.AuditName(), ct: http.RequestAborted);
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/login");
        });
        account.MapPost("/password", ChangePasswordAsync);
        return app;
    }

    /// <summary>The signed-in user changes their own password. Identity renews the security stamp, which ends the account's
    /// other sessions; this browser gets a new cookie at once.</summary>
    private static async Task<IResult> ChangePasswordAsync([FromForm] string? currentPassword, [FromForm] string? newPassword,
        [FromForm] string? confirmPassword, SignInManager<EnmsUser> signIn, AuditLog audit, HttpContext http)
    {
        static IResult Refused(string error) => Results.LocalRedirect($"/account/password?error={Uri.EscapeDataString(error)}");
        if (await signIn.UserManager.GetUserAsync(http.User) is not { } user)
        {
            return Results.LocalRedirect("/login");
        }
        if (newPassword != confirmPassword)
        {
            return Refused("The two new passwords differ.");
        }
        var result = await signIn.UserManager.ChangePasswordAsync(user, currentPassword ?? "", newPassword ?? "");
        if (!result.Succeeded)
        {
            await audit.WriteAsync("password change refused", "user", targetName: user.UserName, user: user.UserName, ct: http.RequestAborted);
            return Refused(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
        await signIn.RefreshSignInAsync(user);
        await audit.WriteAsync("password change", "user", targetName: user.UserName, user: user.UserName, ct: http.RequestAborted);
        return Results.LocalRedirect("/account/password?changed=true");
    }

    private static async Task<IResult> LoginAsync([FromForm] string? userName, [FromForm] string? password, [FromForm] string? returnUrl,
        SignInManager<EnmsUser> signIn, IPasswordHasher<EnmsUser> hasher, AuditLog audit, HttpContext http)
    {
        var target = IsLocal(returnUrl) ? returnUrl! : "/";
        var user = string.IsNullOrEmpty(userName) ? null : await signIn.UserManager.FindByNameAsync(userName);
        var locked = user is not null && await signIn.UserManager.IsLockedOutAsync(user);
        Microsoft.AspNetCore.Identity.SignInResult result;
        if (user is null || locked || string.IsNullOrEmpty(password))
        {
            // Identity answers these without hashing anything: hash anyway, so the time taken does not tell an unknown
            // or locked account from a wrong password.
            hasher.VerifyHashedPassword(DummyUser, DummyHash(hasher), password ?? "");
            result = locked ? Microsoft.AspNetCore.Identity.SignInResult.LockedOut : Microsoft.AspNetCore.Identity.SignInResult.Failed;
        }
        else
        {
            result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        }
        var name = (userName ?? "").Length > 256 ? userName![..256] : userName ?? "";
        if (result.Succeeded)
        {
            await audit.WriteAsync("sign-in", "user", targetName: name, user: name, ct: http.RequestAborted);
            return Results.LocalRedirect(target);
        }
        // The audit (admins only) tells why; the client gets one answer for every refusal.
        await audit.WriteAsync(result.IsLockedOut ? "sign-in refused (locked out)" : "sign-in failed", "user", targetName: name, user: name,
            ct: http.RequestAborted);
        return Results.LocalRedirect($"/login?error=invalid&returnUrl={Uri.EscapeDataString(target)}");
    }

    private static readonly EnmsUser DummyUser = new() { UserName = "nobody" };
    private static string? _dummyHash;

    private static string DummyHash(IPasswordHasher<EnmsUser> hasher) =>
        _dummyHash ??= hasher.HashPassword(DummyUser, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));

    /// <summary>Only a path on this site: no scheme, no host, no protocol-relative <c>//</c> or <c>/\</c>.</summary>
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
