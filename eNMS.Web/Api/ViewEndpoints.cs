using eNMS.Core.Data;
using eNMS.Core.Views;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Web.Api;

/// <summary>Data for the graphical views (world map, topology), fetched by their browser code.</summary>
internal static class ViewEndpoints
{
    public static RouteGroupBuilder MapViewEndpoints(this RouteGroupBuilder api)
    {
        var views = api.MapGroup("/views").WithTags("Views");
        views.MapGet("/network", GetNetworkAsync)
            .WithSummary("Devices (parallel arrays: id, name, latitude, longitude, last run status 0 never / 1 succeeded / 2 failed / 3 running), " +
                "links (source and destination device ids) and pool membership; only devices of the caller's pools when the caller is limited to some");
        return api;
    }

    private static async Task<Ok<NetworkGraph>> GetNetworkAsync(HttpContext http, IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateScopedAsync(http.User, ct);
        return TypedResults.Ok(await NetworkGraph.LoadAsync(db, ct));
    }
}
