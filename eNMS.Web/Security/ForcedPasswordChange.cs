using System.Security.Claims;
using eNMS.Core.Security;
using Microsoft.AspNetCore.Authorization;

namespace eNMS.Web.Security;

/// <summary>
/// While a signed-in user must change their password (<see cref="EnmsUser.MustChangePassword"/>, carried as the
/// <see cref="EnmsClaims.MustChangePassword"/> claim of the cookie), every page leads to the password page and the
/// API refuses cookie calls (403, saying why). The account pages (change, sign out) and anonymous endpoints (static
/// files, sign-in) stay open. API tokens are separate credentials, made by a user who had already passed this page, so
/// a reset forced by an admin does not stop the user's scripts: an admin who suspects misuse locks the account.
/// </summary>
internal static class ForcedPasswordChange
{
    public const string PagePath = "/account/password";

    public static bool MustChangePassword(this ClaimsPrincipal user) => user.HasClaim(c => c.Type == EnmsClaims.MustChangePassword);

    public static IApplicationBuilder UseForcedPasswordChange(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (!context.User.MustChangePassword() || SecurityServiceCollectionExtensions.IsBearer(context.Request)
                || context.Request.Path.StartsWithSegments("/account")
                || context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                await next(context);
                return;
            }
            if (!context.Request.Path.StartsWithSegments("/api") && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
            {
                context.Response.Redirect(PagePath);
                return;
            }
            await Results.Problem("Your password must be changed before anything else: sign in with a browser and choose a new one at " + PagePath + ".",
                statusCode: StatusCodes.Status403Forbidden, title: "Password change required").ExecuteAsync(context);
        });
}
