using eNMS.Core.Security;
using eNMS.Core.Security.Ldap;
using Microsoft.AspNetCore.Http.HttpResults;
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
        account.MapPost("/logout", LogoutAsync);
        account.MapPost("/logout-everywhere", LogoutEverywhereAsync);
        account.MapPost("/password", ChangePasswordAsync);
        account.MapSingleSignOnEndpoints();
        return app;
    }

    private static async Task<IResult> LogoutAsync(HttpContext http, SignInManager<EnmsUser> signIn, SignInSessions sessions,
        AccountAudit account)
    {
        // First, while the cookie still gives the id token: a single sign-on session also ends at the provider.
        var atProvider = await OidcAuthentication.EndProviderSessionAsync(http);
        // Deleting the cookie in this browser is not enough: a copy of it would still sign in.
        await sessions.RevokeAsync(http.User, http.RequestAborted);
        await account.SignOutAsync(http.AuditActor(), http.User.AuditName(), http.RequestAborted);
        await signIn.SignOutAsync();
        return atProvider ? TypedResults.Empty : TypedResults.LocalRedirect("/login");
    }

    private static async Task<RedirectHttpResult> LogoutEverywhereAsync(HttpContext http, SignInManager<EnmsUser> signIn, AccountAudit account)
    {
        var user = await signIn.UserManager.GetUserAsync(http.User);
        await account.SignOutEverywhereAsync(http.AuditActor(), user, http.User.AuditName(), http.RequestAborted);
        await signIn.SignOutAsync();
        return TypedResults.LocalRedirect("/login");
    }

    /// <summary>The signed-in user changes their own password. Identity renews the security stamp, which ends the account's
    /// other sessions; this browser gets a new cookie at once.</summary>
    private static async Task<RedirectHttpResult> ChangePasswordAsync([FromForm] string? currentPassword, [FromForm] string? newPassword,
        [FromForm] string? confirmPassword, SignInManager<EnmsUser> signIn, AccountAudit account, HttpContext http)
    {
        static RedirectHttpResult Refused(string error) => TypedResults.LocalRedirect($"/account/password?error={Uri.EscapeDataString(error)}");
        if (await signIn.UserManager.GetUserAsync(http.User) is not { } user)
        {
            return TypedResults.LocalRedirect("/login");
        }
        if (newPassword != confirmPassword)
        {
            return Refused("The two new passwords differ.");
        }
        var result = await account.ChangePasswordAsync(http.AuditActor(), user, currentPassword ?? "", newPassword ?? "", http.RequestAborted);
        if (!result.Succeeded)
        {
            return Refused(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
        await signIn.RefreshSignInAsync(user);
        return TypedResults.LocalRedirect("/account/password?changed=true");
    }

    private static async Task<RedirectHttpResult> LoginAsync([FromForm] string? userName, [FromForm] string? password, [FromForm] string? returnUrl,
        SignInManager<EnmsUser> signIn, IPasswordHasher<EnmsUser> hasher, AccountAudit account, DirectorySignIn directory, HttpContext http)
    {
        var target = IsLocal(returnUrl) ? returnUrl! : "/";
        var user = string.IsNullOrEmpty(userName) ? null : await signIn.UserManager.FindByNameAsync(userName);
        if (!string.IsNullOrEmpty(userName) && directory.Handles(user))
        {
            return await DirectoryLoginAsync(userName, password, target, signIn, account, directory, http);
        }
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
        await account.SignInAsync(http.AuditActor(), userName, result, accountExists: user is not null, http.RequestAborted);
        // The client gets one answer for every refusal.
        return result.Succeeded
            ? TypedResults.LocalRedirect(target)
            : TypedResults.LocalRedirect($"/login?error=invalid&returnUrl={Uri.EscapeDataString(target)}");
    }

    /// <summary>A directory user (no local account, or a shadow one). Refusals get the one answer, except two that only
    /// come after the right password or tell nothing about accounts: in no mapped group, directory unreachable.</summary>
    private static async Task<RedirectHttpResult> DirectoryLoginAsync(string userName, string? password, string target, SignInManager<EnmsUser> signIn,
        AccountAudit account, DirectorySignIn directory, HttpContext http)
    {
        var outcome = await directory.SignInAsync(http.AuditActor(), userName, password ?? "", http.RequestAborted);
        if (outcome.Succeeded)
        {
            await signIn.SignInAsync(outcome.User!, isPersistent: false);
        }
        await account.DirectorySignInAsync(http.AuditActor(), userName, outcome, DirectorySignIn.Source, http.RequestAborted);
        var error = outcome.Refusal switch
        {
            DirectoryRefusal.None => null,
            DirectoryRefusal.NoMappedGroup => "unmapped",
            DirectoryRefusal.Unavailable => "directory",
            _ => "invalid",
        };
        return error is null
            ? TypedResults.LocalRedirect(target)
            : TypedResults.LocalRedirect($"/login?error={error}&returnUrl={Uri.EscapeDataString(target)}");
    }

    private static readonly EnmsUser DummyUser = new() { UserName = "nobody" };
    private static string? _dummyHash;

    private static string DummyHash(IPasswordHasher<EnmsUser> hasher) =>
        _dummyHash ??= hasher.HashPassword(DummyUser, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));

    /// <summary>Only a path on this site: no scheme, no host, no protocol-relative <c>//</c> or <c>/\</c>.</summary>
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
