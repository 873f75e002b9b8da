using eNMS.Core.Ansible;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Web.Api;

/// <summary>The playbook library: every save of a changed text is a new version; runs name the version they used.</summary>
internal static class AnsibleEndpoints
{
    public static RouteGroupBuilder MapAnsibleEndpoints(this RouteGroupBuilder api)
    {
        var playbooks = api.MapGroup("/playbooks").WithTags("Ansible playbooks").WritesRequire(Policies.AutomationWrite);
        playbooks.MapGet("/", GetPlaybooksAsync);
        playbooks.MapGet("/{id:int}/versions", GetPlaybookVersionsAsync).WithSummary("Every version of a playbook, newest first");
        playbooks.MapPost("/", CreatePlaybookAsync).WithSummary("Create a playbook (its version 1); the YAML is validated");
        playbooks.MapPut("/{id:int}", UpdatePlaybookAsync).WithSummary("Save a new version (only when the text changed)");
        playbooks.MapPost("/validate", ValidatePlaybook).WithSummary("Check a playbook's YAML without saving it");
        playbooks.MapDelete("/{id:int}", DeletePlaybookAsync);
        return api;
    }

    private static async Task<Ok<List<PlaybookSummary>>> GetPlaybooksAsync(IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Playbooks.AsNoTracking().OrderBy(p => p.Name)
            .Select(p => new { Playbook = p, Latest = p.Versions.Max(v => (int?)v.Number) ?? 0 }).ToListAsync(ct);
        return TypedResults.Ok(rows.Where(r => ObjectAccess.Allows(AuditActor.Current, r.Playbook, AccessRight.Read)).Select(r => PlaybookSummary.Of(r.Playbook, r.Latest)).ToList());
    }

    private static async Task<Results<Ok<List<PlaybookVersion>>, ProblemHttpResult>> GetPlaybookVersionsAsync(int id, IDbContextFactory<EnmsDbContext> dbFactory,
        CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // A playbook whose read list leaves the user out does not exist for them.
        if ((await db.Playbooks.AsNoTracking().Where(p => p.Id == id).ToListAsync(ct)).Readable(AuditActor.Current).Count == 0)
        {
            return NoSuchPlaybook;
        }
        return TypedResults.Ok(await db.PlaybookVersions.AsNoTracking().Where(v => v.PlaybookId == id).OrderByDescending(v => v.Number).ToListAsync(ct));
    }

    private static ProblemHttpResult NoSuchPlaybook => ApiResults.NotFound("No such playbook.");

    private static Task<Results<Created<PlaybookSaved>, ProblemHttpResult>> CreatePlaybookAsync(PlaybookInput input, HttpContext http,
        PlaybookLibrary library, CancellationToken ct) =>
        SaveAsync(null, input, http, library, saved => TypedResults.Created($"/api/playbooks/{saved.PlaybookId}", saved), ct);

    private static Task<Results<Ok<PlaybookSaved>, ProblemHttpResult>> UpdatePlaybookAsync(int id, PlaybookInput input, HttpContext http,
        PlaybookLibrary library, CancellationToken ct) =>
        SaveAsync(id, input, http, library, saved => TypedResults.Ok(saved), ct);

    private static Results<NoContent, ProblemHttpResult> ValidatePlaybook(PlaybookInput input) =>
        PlaybookLibrary.Validate(input.Content) is { } problem
            ? TypedResults.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: "Invalid playbook")
            : TypedResults.NoContent();

    private static async Task<Results<NoContent, ProblemHttpResult>> DeletePlaybookAsync(int id, PlaybookLibrary library, CancellationToken ct)
    {
        try
        {
            return await library.DeleteAsync(id, ct) ? TypedResults.NoContent() : NoSuchPlaybook;
        }
        catch (AccessDeniedException e)
        {
            return ApiResults.OutOfScope(e);
        }
    }

    private static async Task<Results<TSaved, ProblemHttpResult>> SaveAsync<TSaved>(int? id, PlaybookInput input, HttpContext http,
        PlaybookLibrary library, Func<PlaybookSaved, TSaved> reply, CancellationToken ct)
        where TSaved : IResult
    {
        try
        {
            return reply(await library.SaveAsync(id, input.Name, input.Description ?? "", input.Content, http.User.AuditName(), ct,
                new AccessChange(input.Owner, input.ReadAccess, input.EditAccess, input.RunAccess)));
        }
        catch (AccessDeniedException e)
        {
            return ApiResults.OutOfScope(e);
        }
        catch (ArgumentException e)
        {
            return TypedResults.Problem(e.Message, statusCode: e.ParamName == "id" ? 404 : 400, title: "The playbook cannot be saved");
        }
    }
}

internal sealed record PlaybookSummary(int Id, string Name, string Description, int LatestVersion, string? Owner, List<string> ReadAccess,
    List<string> EditAccess, List<string> RunAccess)
{
    public static PlaybookSummary Of(Playbook p, int latest) => new(p.Id, p.Name, p.Description, latest, p.Owner, p.ReadAccess, p.EditAccess, p.RunAccess);
}

/// <summary>Owner and lists: null keeps them (a new playbook is its creator's).</summary>
internal sealed record PlaybookInput(string Name, string? Description, string Content, string? Owner = null, List<string>? ReadAccess = null,
    List<string>? EditAccess = null, List<string>? RunAccess = null);
