using eNMS.Core.Data;
using eNMS.Core.Inventory.Editing;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Web.Api;

/// <summary>How one inventory kind is read, saved and deleted; <see cref="CrudEndpoints.MapCrud{TInput, TEditor}"/> turns
/// it into the same five endpoints for every kind.</summary>
internal sealed record CrudKind<TInput, TEditor>(
    string Noun,
    Func<EnmsDbContext, int, CancellationToken, Task<object?>> Read,
    Func<TEditor, TInput, CancellationToken, Task<EditResult>> Save,
    Func<TEditor, IReadOnlyCollection<int>, CancellationToken, Task<int>> Delete,
    Action<TInput, int> SetId)
    where TEditor : notnull;

internal static class CrudEndpoints
{
    public static RouteGroupBuilder MapCrud<TInput, TEditor>(this RouteGroupBuilder group, CrudKind<TInput, TEditor> kind)
        where TInput : class
        where TEditor : notnull
    {
        var handlers = new CrudHandlers<TInput, TEditor>(kind);
        group.MapGet("/{id:int}", handlers.GetAsync);
        group.MapPost("/", handlers.CreateAsync).Accepts<TInput>("application/json").Produces<object>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
        group.MapPut("/{id:int}", handlers.UpdateAsync).Accepts<TInput>("application/json").ProducesValidationProblem();
        group.MapDelete("/{id:int}", handlers.DeleteAsync);
        group.MapPost("/delete", handlers.DeleteManyAsync).WithSummary($"Delete several {kind.Noun}s at once");
        return group;
    }
}

// No handler takes TInput or TEditor as a parameter: ASP.NET's route handler analyzer (AD0001) crashes on a
// generic parameter type, so the body is read here (declared for OpenAPI with Accepts<TInput>()) and the editor
// comes from the request's services.
internal sealed class CrudHandlers<TInput, TEditor>(CrudKind<TInput, TEditor> kind)
    where TInput : class
    where TEditor : notnull
{
    private string NotFound => $"No such {kind.Noun}.";

    private IResult BadBody => Results.Problem($"The body must be a JSON {kind.Noun}.", statusCode: StatusCodes.Status400BadRequest);

    private static async Task<TInput?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            return request.HasJsonContentType() ? await request.ReadFromJsonAsync<TInput>(ct) : default;
        }
        catch (System.Text.Json.JsonException)
        {
            return default;
        }
    }

    public async Task<IResult> GetAsync(int id, IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await kind.Read(db, id, ct) is { } body ? Results.Ok(body) : Results.Problem(NotFound, statusCode: 404);
    }

    public async Task<IResult> CreateAsync(HttpRequest request, IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct)
    {
        if (await ReadBodyAsync(request, ct) is not { } input)
        {
            return BadBody;
        }
        kind.SetId(input, 0);
        var result = await kind.Save(Editor(request.HttpContext), input, ct);
        if (!result.Succeeded)
        {
            return ApiResults.Invalid(result);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return Results.Created($"{request.Path.Value?.TrimEnd('/')}/{result.Id}", await kind.Read(db, result.Id, ct));
    }

    public async Task<IResult> UpdateAsync(int id, HttpRequest request, IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct)
    {
        if (await ReadBodyAsync(request, ct) is not { } input)
        {
            return BadBody;
        }
        kind.SetId(input, id);
        var result = await kind.Save(Editor(request.HttpContext), input, ct);
        if (!result.Succeeded)
        {
            return ApiResults.Invalid(result);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return Results.Ok(await kind.Read(db, id, ct));
    }

    public async Task<IResult> DeleteAsync(int id, HttpContext http, CancellationToken ct) =>
        await kind.Delete(Editor(http), [id], ct) > 0 ? Results.NoContent() : Results.Problem(NotFound, statusCode: 404);

    public async Task<IResult> DeleteManyAsync(IdList body, HttpContext http, CancellationToken ct) =>
        Results.Ok(new DeleteReply(await kind.Delete(Editor(http), body.Ids.ToList(), ct)));

    private static TEditor Editor(HttpContext http) => http.RequestServices.GetRequiredService<TEditor>();
}

internal sealed record DeleteReply(int Deleted);
