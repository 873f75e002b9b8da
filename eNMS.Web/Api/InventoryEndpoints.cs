using eNMS.Core.Data;
using eNMS.Core.Inventory.Editing;
using eNMS.Core.Inventory.Querying;
using eNMS.Core.Security;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Web.Api;

/// <summary>CRUD for devices, links, pools and credentials. Credentials never carry a secret in a reply.</summary>
internal static class InventoryEndpoints
{
    private const string FilterHelp = "A page: filter.<column>=value (contains; =exact; /regex/; a leading ! inverts), sortBy, descending, page, pageSize";

    public static RouteGroupBuilder MapInventoryEndpoints(this RouteGroupBuilder api)
    {
        var devices = api.MapGroup("/devices").WithTags("Devices").WritesRequire(Policies.InventoryWrite);
        devices.MapGet("/", GetDevicesAsync).WithSummary(FilterHelp + "; only devices of the caller's pools when the caller is limited to some");
        devices.MapCrud(new CrudKind<DeviceInput, InventoryEditor>("device",
            async (db, id, ct) => await db.Devices.AsNoTracking().Include(d => d.Gateways).FirstOrDefaultAsync(d => d.Id == id, ct) is { } device
                ? DeviceInput.From(device)
                : null,
            (editor, input, _, ct) => editor.SaveDeviceAsync(input, ct),
            (editor, ids, _, ct) => editor.DeleteDevicesAsync(ids, ct),
            (input, id) => input.Id = id)
        {
            VisibleIds = db => db.Devices.Select(d => d.Id),
            // A gateway is dialled with its own credential: naming one outside the caller's pools would borrow it.
            DevicesNamed = input => input.GatewayIds ?? [],
        });

        var links = api.MapGroup("/links").WithTags("Links").WritesRequire(Policies.InventoryWrite);
        links.MapGet("/", GetLinksAsync).WithSummary(FilterHelp + "; only links between devices of the caller's pools when the caller is limited to some");
        links.MapCrud(new CrudKind<LinkInput, InventoryEditor>("link",
            async (db, id, ct) => await db.Links.AsNoTracking().Where(l => l.Id == id).Select(l => LinkInput.From(l)).FirstOrDefaultAsync(ct),
            (editor, input, _, ct) => editor.SaveLinkAsync(input, ct),
            (editor, ids, _, ct) => editor.DeleteLinksAsync(ids, ct),
            (input, id) => input.Id = id)
        {
            VisibleIds = db => db.Links.Select(l => l.Id),
            DevicesNamed = input => [input.SourceId, input.DestinationId],
        });

        var pools = api.MapGroup("/pools").WithTags("Pools").WritesRequire(Policies.InventoryWrite);
        pools.MapGet("/", GetPoolsAsync).WithSummary("Every pool; only the caller's pools when the caller is limited to some");
        pools.MapCrud(new CrudKind<PoolInput, InventoryEditor>("pool",
            async (db, id, ct) => await db.Pools.AsNoTracking().Where(p => p.Id == id).Select(PoolView.Projection).FirstOrDefaultAsync(ct),
            (editor, input, scope, ct) => editor.SavePoolAsync(input, scope, ct),
            (editor, ids, scope, ct) => editor.DeletePoolsAsync(ids, scope, ct),
            (input, id) => input.Id = id)
        {
            VisibleIds = db => db.Pools.Select(p => p.Id),
            DevicesNamed = input => input.DeviceIds,
        });

        var credentials = api.MapGroup("/credentials").WithTags("Credentials").WritesRequire(Policies.InventoryWrite);
        credentials.MapGet("/", GetCredentialsAsync);
        credentials.MapCrud(new CrudKind<CredentialInput, InventoryEditor>("credential",
            async (db, id, ct) => await db.Credentials.AsNoTracking().Include(c => c.Pools).FirstOrDefaultAsync(c => c.Id == id, ct) is { } c ? CredentialView.From(c) : null,
            (editor, input, scope, ct) => editor.SaveCredentialAsync(input, scope, ct),
            (editor, ids, scope, ct) => editor.DeleteCredentialsAsync(ids, scope, ct),
            (input, id) => input.Id = id));
        return api;
    }

    private static Task<Results<Ok<PageReply<DeviceInput>>, ProblemHttpResult>> GetDevicesAsync(HttpRequest request,
        IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct) =>
        PageAsync(dbFactory, db => db.Devices.AsNoTracking().Include(d => d.Gateways), InventoryGrids.Devices, request, DeviceInput.From, ct);

    private static Task<Results<Ok<PageReply<LinkInput>>, ProblemHttpResult>> GetLinksAsync(HttpRequest request,
        IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct) =>
        PageAsync(dbFactory, db => db.Links.AsNoTracking(), InventoryGrids.Links, request, LinkInput.From, ct);

    private static async Task<Ok<List<PoolView>>> GetPoolsAsync(HttpContext http, IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateScopedAsync(http.User, ct);
        return TypedResults.Ok(await db.Pools.AsNoTracking().OrderBy(p => p.Name).Select(PoolView.Projection).ToListAsync(ct));
    }

    private static async Task<Ok<IEnumerable<CredentialView>>> GetCredentialsAsync(HttpContext http, IDbContextFactory<EnmsDbContext> dbFactory,
        CancellationToken ct)
    {
        // Scoped: a credential lists only the pools the caller sees.
        await using var db = await dbFactory.CreateScopedAsync(http.User, ct);
        return TypedResults.Ok((await db.Credentials.AsNoTracking().Include(c => c.Pools).OrderBy(c => c.Name).ToListAsync(ct)).Select(CredentialView.From));
    }

    /// <summary>A page of <paramref name="source"/> read through a context scoped to the caller's pools.</summary>
    private static async Task<Results<Ok<PageReply<TView>>, ProblemHttpResult>> PageAsync<T, TView>(IDbContextFactory<EnmsDbContext> dbFactory, Func<EnmsDbContext, IQueryable<T>> source,
        GridColumns<T> columns, HttpRequest request, Func<T, TView> view, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateScopedAsync(request.HttpContext.User, ct);
        try
        {
            var page = await columns.PageAsync(db, source(db), GridRequestBinding.From(request), ct);
            return TypedResults.Ok(new PageReply<TView>(page.Total, page.Items.Select(view).ToList()));
        }
        catch (ArgumentException e)
        {
            return ApiResults.BadFilter(e);
        }
    }
}

internal sealed record PageReply<T>(int Total, IReadOnlyList<T> Items);
