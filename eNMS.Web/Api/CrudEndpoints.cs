using eNMS.Core.Data;
using eNMS.Core.Inventory.Editing;
using eNMS.Core.Security;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Web.Api;

/// <summary>How one inventory kind is read, saved and deleted; <see cref="CrudEndpoints.MapCrud{TInput, TEditor}"/> turns
/// it into the same five endpoints for every kind.</summary>
internal sealed record CrudKind<TInput, TEditor>(
    string Noun,
    Func<EnmsDbContext, int, CancellationToken, Task<object?>> Read,
    Func<TEditor, TInput, IReadOnlyList<int>?, CancellationToken, Task<EditResult>> Save,
    Func<TEditor, IReadOnlyCollection<int>, IReadOnlyList<int>?, CancellationToken, Task<int>> Delete,
    Action<TInput, int> SetId)
    where TEditor : notnull
{
    /// <summary>The ids of this kind, read from a context scoped to the caller's pools: what the caller may read, change
    /// and delete (null: the kind is not limited by pools). Others answer 404, as if they did not exist.</summary>
    public Func<EnmsDbContext, IQueryable<int>>? VisibleIds { get; init; }

    /// <summary>The devices an input names (link ends, manual pool members): a user limited to some pools may only
    /// name devices of those pools.</summary>
    public Func<TInput, IEnumerable<int>>? DevicesNamed { get; init; }
}

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
    private ProblemHttpResult NotFound => ApiResults.NotFound($"No such {kind.Noun}.");

    private ProblemHttpResult BadBody => TypedResults.Problem($"The body must be a JSON {kind.Noun}.", statusCode: StatusCodes.Status400BadRequest);

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

    public async Task<Results<Ok<object>, ProblemHttpResult>> GetAsync(int id, HttpContext http, IDbContextFactory<EnmsDbContext> dbFactory,
        CancellationToken ct)
    {
        await using var db = await dbFactory.CreateScopedAsync(http.User, ct);
        return await VisibleAsync(db, id, ct) && await kind.Read(db, id, ct) is { } body ? TypedResults.Ok(body) : NotFound;
    }

    /// <summary>Whether the caller's pool scope (that of <paramref name="scoped"/>) lets it see this row.</summary>
    private async Task<bool> VisibleAsync(EnmsDbContext scoped, int id, CancellationToken ct) =>
        scoped.ScopePoolIds is null || kind.VisibleIds is null || await kind.VisibleIds(scoped).AnyAsync(x => x == id, ct);

    /// <summary>Saves through the editor, which applies the scope rules itself (a kind shared beyond pools: 403).</summary>
    private async Task<(EditResult? Result, ProblemHttpResult? Refusal)> SaveAsync(HttpContext http, TInput input, CancellationToken ct)
    {
        try
        {
            return (await kind.Save(Editor(http), input, http.User.ScopePoolIds(), ct), null);
        }
        catch (OutOfScopeException e)
        {
            return (null, ApiResults.OutOfScope(e));
        }
    }

    /// <summary>Deletes through the editor, which applies the scope rules itself (a kind shared beyond pools: 403).</summary>
    private async Task<Results<TDeleted, ProblemHttpResult>> DeletedAsync<TDeleted>(HttpContext http, IReadOnlyCollection<int> ids,
        Func<int, Results<TDeleted, ProblemHttpResult>> reply, CancellationToken ct)
        where TDeleted : IResult
    {
        try
        {
            return reply(await kind.Delete(Editor(http), ids, http.User.ScopePoolIds(), ct));
        }
        catch (OutOfScopeException e)
        {
            return ApiResults.OutOfScope(e);
        }
    }

    /// <summary>Why the input names a device outside the caller's pools (null when it names none).</summary>
    private async Task<ProblemHttpResult?> OutOfScopeDeviceAsync(EnmsDbContext scoped, TInput input, CancellationToken ct)
    {
        if (scoped.ScopePoolIds is null || kind.DevicesNamed is null)
        {
            return null;
        }
        var named = kind.DevicesNamed(input).Where(id => id != 0).Distinct().ToList();
        var visible = await scoped.Devices.Where(d => named.Contains(d.Id)).Select(d => d.Id).ToListAsync(ct);
        var hidden = named.Except(visible).ToList();
        return hidden.Count == 0 ? null : ApiResults.NotFound($"No such device: #{string.Join(", #", hidden)}.");
    }

    public async Task<Results<Created<object>, ValidationProblem, ProblemHttpResult>> CreateAsync(HttpRequest request,
        IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct)
    {
        if (await ReadBodyAsync(request, ct) is not { } input)
        {
            return BadBody;
        }
        kind.SetId(input, 0);
        await using var db = await dbFactory.CreateScopedAsync(request.HttpContext.User, ct);
        if (await OutOfScopeDeviceAsync(db, input, ct) is { } hidden)
        {
            return hidden;
        }
        var (result, refused) = await SaveAsync(request.HttpContext, input, ct);
        if (refused is not null)
        {
            return refused;
        }
        var body = result!.Succeeded ? await kind.Read(db, result.Id, ct) : null;
        return ApiResults.Saved(result, saved => TypedResults.Created($"{request.Path.Value?.TrimEnd('/')}/{saved.Id}", body));
    }

    public async Task<Results<Ok<object>, ValidationProblem, ProblemHttpResult>> UpdateAsync(int id, HttpRequest request,
        IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct)
    {
        if (await ReadBodyAsync(request, ct) is not { } input)
        {
            return BadBody;
        }
        kind.SetId(input, id);
        await using var db = await dbFactory.CreateScopedAsync(request.HttpContext.User, ct);
        if (!await VisibleAsync(db, id, ct))
        {
            return NotFound;
        }
        if (await OutOfScopeDeviceAsync(db, input, ct) is { } hidden)
        {
            return hidden;
        }
        var (result, refused) = await SaveAsync(request.HttpContext, input, ct);
        if (refused is not null)
        {
            return refused;
        }
        var body = result!.Succeeded ? await kind.Read(db, id, ct) : null;
        return ApiResults.Saved(result, _ => TypedResults.Ok(body));
    }

    public async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(int id, HttpContext http, IDbContextFactory<EnmsDbContext> dbFactory,
        CancellationToken ct)
    {
        await using var db = await dbFactory.CreateScopedAsync(http.User, ct);
        if (!await VisibleAsync(db, id, ct))
        {
            return NotFound;
        }
        return await DeletedAsync<NoContent>(http, [id], count => count > 0 ? TypedResults.NoContent() : NotFound, ct);
    }

    /// <summary>Deletes the listed rows the caller may see; others are left alone (and not counted).</summary>
    public async Task<Results<Ok<DeleteReply>, ProblemHttpResult>> DeleteManyAsync(IdList body, HttpContext http, IDbContextFactory<EnmsDbContext> dbFactory,
        CancellationToken ct)
    {
        var ids = body.Ids.ToList();
        if (http.User.ScopePoolIds() is not null && kind.VisibleIds is not null)
        {
            await using var db = await dbFactory.CreateScopedAsync(http.User, ct);
            ids = await kind.VisibleIds(db).Where(id => ids.Contains(id)).ToListAsync(ct);
        }
        return await DeletedAsync<Ok<DeleteReply>>(http, ids, count => TypedResults.Ok(new DeleteReply(count)), ct);
    }

    private static TEditor Editor(HttpContext http) => http.RequestServices.GetRequiredService<TEditor>();
}

internal sealed record DeleteReply(int Deleted);
