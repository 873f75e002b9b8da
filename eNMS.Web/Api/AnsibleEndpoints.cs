using eNMS.Core.Ansible;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Web.Api;

/// <summary>The playbook library: every save of a changed text is a new version; runs name the version they used.</summary>
internal static class AnsibleEndpoints
{
    public static RouteGroupBuilder MapAnsibleEndpoints(this RouteGroupBuilder api)
    {
        var playbooks = api.MapGroup("/playbooks").WithTags("Ansible playbooks").WritesRequire(Policies.AutomationWrite);
        playbooks.MapGet("/", async (IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct) =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return await db.Playbooks.AsNoTracking().OrderBy(p => p.Name)
                .Select(p => new PlaybookSummary(p.Id, p.Name, p.Description, p.Versions.Max(v => (int?)v.Number) ?? 0)).ToListAsync(ct);
        });
        playbooks.MapGet("/{id:int}/versions", async (int id, IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct) =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return await db.PlaybookVersions.AsNoTracking().Where(v => v.PlaybookId == id).OrderByDescending(v => v.Number).ToListAsync(ct);
        }).WithSummary("Every version of a playbook, newest first");
        playbooks.MapPost("/", async (PlaybookInput input, HttpContext http, PlaybookLibrary library, CancellationToken ct) =>
            await SaveAsync(null, input, http, library, ct)).WithSummary("Create a playbook (its version 1); the YAML is validated");
        playbooks.MapPut("/{id:int}", async (int id, PlaybookInput input, HttpContext http, PlaybookLibrary library, CancellationToken ct) =>
            await SaveAsync(id, input, http, library, ct)).WithSummary("Save a new version (only when the text changed)");
        playbooks.MapPost("/validate", (PlaybookInput input) =>
            PlaybookLibrary.Validate(input.Content) is { } problem ? Results.Problem(problem, statusCode: 400, title: "Invalid playbook") : Results.NoContent())
            .WithSummary("Check a playbook's YAML without saving it");
        playbooks.MapDelete("/{id:int}", async (int id, IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct) =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var playbook = await db.Playbooks.FirstOrDefaultAsync(p => p.Id == id, ct);
            if (playbook is null)
            {
                return Results.Problem("No such playbook.", statusCode: 404);
            }
            db.Playbooks.Remove(playbook);
            await db.SaveChangesAsync(ct);
            return Results.NoContent();
        });
        return api;
    }

    private static async Task<IResult> SaveAsync(int? id, PlaybookInput input, HttpContext http, PlaybookLibrary library, CancellationToken ct)
    {
        try
        {
            var saved = await library.SaveAsync(id, input.Name, input.Description ?? "", input.Content, http.User.AuditName(), ct);
            return id is null ? Results.Created($"/api/playbooks/{saved.PlaybookId}", saved) : Results.Ok(saved);
        }
        catch (ArgumentException e)
        {
            return Results.Problem(e.Message, statusCode: e.ParamName == "id" ? 404 : 400, title: "The playbook cannot be saved");
        }
    }
}

internal sealed record PlaybookSummary(int Id, string Name, string Description, int LatestVersion);

internal sealed record PlaybookInput(string Name, string? Description, string Content);
