using System.Text.Encodings.Web;
using eNMS.Core.Security;
using eNMS.Core.Security.Ldap;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace eNMS.Web.Security;

/// <summary><c>Authorization: Bearer enms_...</c>: a personal API token, checked against its stored hash. The principal
/// carries the owner's roles and pool scope exactly as a cookie sign-in would, so policies never look at the scheme.
/// A directory user's token works while their shadow account is not locked by an admin or by the directory's last check.</summary>
internal sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiTokens tokens, UserManager<EnmsUser> users, IUserClaimsPrincipalFactory<EnmsUser> principals, DirectorySignIn directory)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var check = await tokens.ValidateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        var user = check.UserId is null ? null : await users.FindByIdAsync(check.UserId);
        // A directory user's token stops with their directory account (asked again past Ldap:RecheckMinutes).
        var problem = check.Problem
            ?? (user is null ? "account deleted"
                : user.IsDisabled ? "account locked"
                : !await directory.IsStillActiveAsync(user, Context.RequestAborted) ? "directory account no longer active"
                : null);
        if (problem is not null)
        {
            if (tokens.RecordRefusal(Context.Connection.RemoteIpAddress?.ToString(), problem, check.Label))
            {
                await AuditAsync(user, problem, check.Label);
            }
            return AuthenticateResult.Fail("Invalid, expired or revoked token.");
        }
        if (check.FirstUseAfterIdle)
        {
            await AuditAsync(user, null, check.Label);
        }
        var principal = await principals.CreateAsync(user!);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>A token sign-in in the audit log (source "token"), from the request's address.</summary>
    private Task AuditAsync(EnmsUser? user, string? problem, string? label) =>
        Context.RequestServices.GetRequiredService<AccountAudit>()
            .TokenSignInAsync(Context.AuditActor(), user?.UserName ?? "", problem, label, Context.RequestAborted);

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
