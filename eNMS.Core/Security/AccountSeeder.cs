using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace eNMS.Core.Security;

/// <summary>Creates the four roles and, on first start, the <c>admin</c> account. Its password comes from
/// <c>ENMS_ADMIN_PASSWORD</c> or <c>Security:AdminPassword</c>; otherwise a random one is logged once.</summary>
public sealed class AccountSeeder(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<AccountSeeder> logger)
{
    public const string AdminUserName = "admin";

    public async Task SeedAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            ct.ThrowIfCancellationRequested();
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)));
            }
        }
        var users = scope.ServiceProvider.GetRequiredService<UserManager<EnmsUser>>();
        if (users.Users.Any())
        {
            return;
        }
        var configured = Environment.GetEnvironmentVariable("ENMS_ADMIN_PASSWORD") is { Length: > 0 } fromEnv
            ? fromEnv
            : configuration["Security:AdminPassword"];
        var password = string.IsNullOrEmpty(configured) ? RandomPassword() : configured;
        // A generated password was shown in a log: it must be replaced at first sign-in. A configured one was chosen
        // by whoever deploys (a secret of the deployment), so it stands.
        var admin = new EnmsUser { UserName = AdminUserName, MustChangePassword = string.IsNullOrEmpty(configured) };
        Check(await users.CreateAsync(admin, password));
        Check(await users.AddToRoleAsync(admin, Roles.Admin));
        if (string.IsNullOrEmpty(configured))
        {
            // Shown once: it is not stored anywhere in clear.
#pragma warning disable CA1848, CA2254 // a one-off banner, not a hot path
            logger.LogWarning(
                "\n==================================================================\n" +
                "  eNMS first start: created user 'admin' with password\n\n      {Password}\n\n" +
                "  It is shown only this once: the first sign-in asks for a new one.\n" +
                "  To choose it yourself, set\n" +
                "  ENMS_ADMIN_PASSWORD before the first start.\n" +
                "==================================================================", password);
#pragma warning restore CA1848, CA2254
        }
        else
        {
            logger.LogInformation("Created user 'admin' with the configured password");
        }
    }

    /// <summary>20 characters from an unambiguous alphabet, plus one of each class Identity may require.</summary>
    public static string RandomPassword()
    {
        const string alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var chars = new char[20];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        }
        return new string(chars) + "a7Z-";
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Seeding accounts failed: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
