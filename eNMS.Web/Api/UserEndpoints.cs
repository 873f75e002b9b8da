using eNMS.Core.Security;
using Microsoft.AspNetCore.Mvc;

namespace eNMS.Web.Api;

/// <summary>Admin-only: accounts for scripts, as the Users page manages them (<see cref="UserAdministration"/>). No reply
/// carries a hash or a security stamp; a generated password is returned once, by the call that generated it.</summary>
internal static class UserEndpoints
{
    public static RouteGroupBuilder MapUserEndpoints(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").RequireAuthorization(Policies.Admin).WithTags("Users");
        users.MapGet("/", (UserAdministration admin, CancellationToken ct) => admin.ListAsync(ct))
            .WithSummary("Every user with role, pool scope, lock and must-change state (no password material)");
        users.MapGet("/{id}", async (string id, UserAdministration admin, CancellationToken ct) =>
            await admin.GetAsync(id, ct) is { } user ? Results.Ok(user) : ApiResults.NotFound("No such user."))
            .WithSummary("One user");
        users.MapPost("/", async (UserCreate request, UserAdministration admin, HttpContext http, CancellationToken ct) =>
            Reply(http, await admin.CreateAsync(AuditActor.Current, request, ct), created: true))
            .ProducesValidationProblem()
            .WithSummary("Creates a user; without a password one is generated, returned once, and must be changed at first sign-in");
        users.MapPut("/{id}", UpdateAsync).ProducesValidationProblem()
            .WithSummary("Sets the role (\"\": none) and/or the pool scope ([]: every device); a field left out stays as it is");
        users.MapPost("/{id}/lock", async (string id, UserAdministration admin, HttpContext http, CancellationToken ct) =>
            Reply(http, await admin.SetLockedAsync(AuditActor.Current, id, locked: true, ct)))
            .WithSummary("Locks the account until unlocked: its sessions and API tokens stop (not yourself, not the last admin)");
        users.MapPost("/{id}/unlock", async (string id, UserAdministration admin, HttpContext http, CancellationToken ct) =>
            Reply(http, await admin.SetLockedAsync(AuditActor.Current, id, locked: false, ct)))
            .WithSummary("Unlocks the account (also ends a lockout after wrong passwords)");
        users.MapPost("/{id}/reset", async (string id, [FromBody] PasswordReset? reset, UserAdministration admin, HttpContext http, CancellationToken ct) =>
            Reply(http, await admin.ResetPasswordAsync(AuditActor.Current, id, reset?.ForceChange ?? true, ct)))
            .WithSummary("Generates a new password, returned once; forceChange (default true) makes the user replace it at next sign-in");
        users.MapDelete("/{id}", async (string id, UserAdministration admin, HttpContext http, CancellationToken ct) =>
            Reply(http, await admin.DeleteAsync(AuditActor.Current, id, ct), deleted: true))
            .WithSummary("Deletes the user and their API tokens (not yourself, not the last admin)");
        return api;
    }

    private static async Task<IResult> UpdateAsync(string id, UserUpdate change, UserAdministration admin, HttpContext http, CancellationToken ct)
    {
        var outcome = change.Role is null ? null : await admin.SetRoleAsync(AuditActor.Current, id, change.Role, ct);
        if (outcome is not { Succeeded: false } && change.ScopePoolIds is not null)
        {
            outcome = await admin.SetScopeAsync(AuditActor.Current, id, change.ScopePoolIds, ct);
        }
        if (outcome is null)
        {
            return await admin.GetAsync(id, ct) is { } user ? Reply(http, UserOutcome.Ok(user)) : ApiResults.NotFound("No such user.");
        }
        return Reply(http, outcome);
    }

    /// <summary>The user (201 when created, 204 when deleted) with the generated password when there is one, else
    /// 404, 400 per field, or 409 for a change refused for what it would leave (no admin, yourself locked out).</summary>
    private static IResult Reply(HttpContext http, UserOutcome outcome, bool created = false, bool deleted = false)
    {
        if (!outcome.Succeeded)
        {
            var detail = string.Join(" ", outcome.Errors.Values);
            return outcome.Refusal switch
            {
                UserRefusal.NotFound => ApiResults.NotFound(detail),
                UserRefusal.Conflict => Results.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Refused"),
                _ => Results.ValidationProblem(outcome.Errors.ToDictionary(e => e.Key, e => new[] { e.Value })),
            };
        }
        if (deleted)
        {
            return Results.NoContent();
        }
        if (outcome.NewPassword is not null)
        {
            // Shown once: no cache, proxy or browser history may keep it.
            http.Response.Headers.CacheControl = "no-store";
        }
        var reply = new UserReply(outcome.User!, outcome.NewPassword);
        return created ? Results.Created($"/api/users/{outcome.User!.Id}", reply) : Results.Ok(reply);
    }
}

/// <summary>Fields left null stay as they are. Role "" removes the role; ScopePoolIds [] lifts the pool limit.</summary>
public sealed record UserUpdate(string? Role, IReadOnlyList<int>? ScopePoolIds);

public sealed record PasswordReset(bool? ForceChange);

/// <summary>The user after the change; Password only when this call generated one (shown once).</summary>
public sealed record UserReply(UserView User, string? Password);
