using eNMS.Core.Security;

namespace eNMS.Web.Api;

/// <summary>Admin-only: user groups for scripts, as the Users page manages them (<see cref="GroupAdministration"/>).
/// A member is a user name; no reply carries anything of an account but its name.</summary>
internal static class GroupEndpoints
{
    public static RouteGroupBuilder MapGroupEndpoints(this RouteGroupBuilder api)
    {
        var groups = api.MapGroup("/groups").RequireAuthorization(Policies.Admin).WithTags("Users");
        groups.MapGet("/", (GroupAdministration admin, CancellationToken ct) => admin.ListAsync(ct))
            .WithSummary("Every user group with its role, pools and members");
        groups.MapGet("/{id:int}", async (int id, GroupAdministration admin, CancellationToken ct) =>
            await admin.GetAsync(id, ct) is { } group ? Results.Ok(group) : ApiResults.NotFound("No such group."))
            .WithSummary("One user group");
        groups.MapPost("/", async (GroupInput input, GroupAdministration admin, CancellationToken ct) =>
            Reply(await admin.CreateAsync(input, ct), created: true))
            .ProducesValidationProblem()
            .WithSummary("Creates a group: name, description, role (members get the most privileged of theirs and the groups'), pools (members are limited to the union of the pools named), members (user names)");
        groups.MapPut("/{id:int}", async (int id, GroupInput change, GroupAdministration admin, CancellationToken ct) =>
            Reply(await admin.UpdateAsync(id, change, ct)))
            .ProducesValidationProblem()
            .WithSummary("Sets description, role (\"\": none), pools ([]: none) and/or members (the whole list); a field left out stays as it is; the name is fixed");
        groups.MapPost("/{id:int}/members", async (int id, GroupMembers body, GroupAdministration admin, CancellationToken ct) =>
            Reply(await admin.AddMembersAsync(id, body.UserNames, ct)))
            .ProducesValidationProblem()
            .WithSummary("Adds these users to the group");
        groups.MapDelete("/{id:int}/members/{userName}", async (int id, string userName, GroupAdministration admin, CancellationToken ct) =>
            Reply(await admin.RemoveMembersAsync(id, [userName], ct)))
            .WithSummary("Removes the user from the group: their sessions and tokens lose what it granted at their next request");
        groups.MapDelete("/{id:int}", async (int id, GroupAdministration admin, CancellationToken ct) =>
            Reply(await admin.DeleteAsync(id, ct), deleted: true))
            .WithSummary("Deletes the group; its members keep their own role and pools only");
        return api;
    }

    private static IResult Reply(GroupOutcome outcome, bool created = false, bool deleted = false) => outcome switch
    {
        { Succeeded: false, Refusal: UserRefusal.NotFound } => ApiResults.NotFound(string.Join(" ", outcome.Errors.Values)),
        { Succeeded: false } => Results.ValidationProblem(outcome.Errors.ToDictionary(e => e.Key, e => new[] { e.Value })),
        _ when deleted => Results.NoContent(),
        _ when created => Results.Created($"/api/groups/{outcome.Group!.Id}", outcome.Group),
        _ => Results.Ok(outcome.Group),
    };
}

public sealed record GroupMembers(IReadOnlyList<string>? UserNames);
