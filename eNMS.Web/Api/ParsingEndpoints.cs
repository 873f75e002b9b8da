using eNMS.Core.Data;
using eNMS.Core.Parsing;
using eNMS.Core.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Web.Api;

/// <summary>A template (stored by name, or given as text) tried on a sample output.</summary>
public sealed record ParsingTestRequest(string Text, string Template = "", string TemplateName = "", string Platform = "", string Command = "");

/// <summary>What the template made of the sample: the template used, its header and rows (name → cell).</summary>
public sealed record ParsingTestResult(string Template, IReadOnlyList<string> Header, List<Dictionary<string, object?>> Rows);

/// <summary>Stored TextFSM templates (list, create, update, delete; writes need automation.write) and a dry run of a
/// template on pasted text (read only, bounded like every parse).</summary>
internal static class ParsingEndpoints
{
    public static RouteGroupBuilder MapParsingEndpoints(this RouteGroupBuilder api)
    {
        var templates = api.MapGroup("/parsing-templates").WithTags("Parsing").WritesRequire(Policies.AutomationWrite);
        templates.MapGet("/", ListAsync).WithSummary("Stored TextFSM templates, and the names of the built-in ones");
        templates.MapGet("/{id:int}", GetAsync);
        templates.MapPost("/", CreateAsync);
        templates.MapPut("/{id:int}", UpdateAsync);
        templates.MapDelete("/{id:int}", DeleteAsync);
        api.MapPost("/parsing-templates/test", TestAsync).WithTags("Parsing")
            .WithSummary("Parse a sample with a template's text, a template's name, or the one found for a platform and command");
        return api;
    }

    private static async Task<Ok<ParsingTemplateList>> ListAsync(IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return TypedResults.Ok(new ParsingTemplateList(await db.ParsingTemplates.AsNoTracking().OrderBy(t => t.Name).ToListAsync(ct), ParsingLibrary.BuiltInNames));
    }

    private static async Task<Results<Ok<ParsingTemplate>, ProblemHttpResult>> GetAsync(int id, IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ParsingTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct) is { } template ? TypedResults.Ok(template) : NoSuchTemplate;
    }

    private static async Task<Results<Created<ParsingTemplate>, ProblemHttpResult>> CreateAsync(ParsingTemplate input, ParsingTemplates store, CancellationToken ct)
    {
        var saved = await store.SaveAsync(null, input, ct);
        return saved.Template is { } template ? TypedResults.Created($"/api/parsing-templates/{template.Id}", template) : Refused(saved);
    }

    private static async Task<Results<Ok<ParsingTemplate>, ProblemHttpResult>> UpdateAsync(int id, ParsingTemplate input, ParsingTemplates store, CancellationToken ct)
    {
        var saved = await store.SaveAsync(id, input, ct);
        return saved.Template is { } template ? TypedResults.Ok(template) : Refused(saved);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(int id, ParsingTemplates store, CancellationToken ct) =>
        await store.DeleteAsync(id, ct) ? TypedResults.NoContent() : NoSuchTemplate;

    private static async Task<Results<Ok<ParsingTestResult>, ProblemHttpResult>> TestAsync(ParsingTestRequest request, ParsingLibrary library, CancellationToken ct)
    {
        try
        {
            var (name, table) = request.Template.Length > 0
                ? ("(pasted)", TextFsmRunner.Parse(ParsingLibrary.Resolve("(pasted)", "pasted", request.Template).Template, request.Text))
                : (request.TemplateName, await library.ParseAsync(request.TemplateName, request.Platform, request.Command, request.Text, ct));
            return TypedResults.Ok(new ParsingTestResult(name, table.Header, table.ToDictionaries()));
        }
        catch (Exception e) when (e is ParsingException or TextFsmParseException)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "The template could not parse the text");
        }
    }

    private static ProblemHttpResult NoSuchTemplate => ApiResults.NotFound("No such parsing template.");

    private static ProblemHttpResult Refused(ParsingTemplateSaved saved) => saved.NotFound
        ? NoSuchTemplate
        : TypedResults.Problem(saved.Problem, statusCode: StatusCodes.Status400BadRequest, title: "The parsing template cannot be saved");
}

public sealed record ParsingTemplateList(List<ParsingTemplate> Stored, IReadOnlyList<string> BuiltIn);
