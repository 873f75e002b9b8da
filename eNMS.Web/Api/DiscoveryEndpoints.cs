using eNMS.Core.Discovery;
using eNMS.Core.Security;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace eNMS.Web.Api;

/// <summary>LLDP topology discovery: preview (connects to the seeds) and commit; both need inventory write.</summary>
internal static class DiscoveryEndpoints
{
    public static RouteGroupBuilder MapDiscoveryEndpoints(this RouteGroupBuilder api)
    {
        var discovery = api.MapGroup("/discovery").WithTags("Topology discovery").WritesRequire(Policies.InventoryWrite);
        discovery.MapPost("/preview", PreviewAsync)
            .WithSummary($"Reads the LLDP neighbours of the seed devices ({{\"seedDeviceIds\": [1, 2]}}, at most {TopologyDiscovery.MaxSeeds}) and "
                + "answers the new links, changed links (other interfaces), unknown neighbours and inventory links not seen, plus each seed's outcome");
        discovery.MapPost("/commit", CommitAsync)
            .WithSummary("Writes the chosen links of a preview ({\"links\": [...]}: new ones, or changes with their linkId); a link already in the inventory is skipped");
        return api;
    }

    private static async Task<Results<Ok<DiscoveryPreview>, ProblemHttpResult>> PreviewAsync(DiscoveryRequest request, HttpContext http,
        TopologyDiscovery discovery, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(await discovery.PreviewAsync(request, http.User.ScopePoolIds(), ct));
        }
        catch (DiscoveryRequestException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "Discovery cannot start");
        }
        catch (OutOfScopeException e)
        {
            return ApiResults.OutOfScope(e);
        }
    }

    private static async Task<Results<Ok<DiscoveryCommitResult>, ProblemHttpResult>> CommitAsync(DiscoveryCommit commit, HttpContext http,
        TopologyDiscovery discovery, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(await discovery.CommitAsync(commit, http.User.ScopePoolIds(), http.AuditActor(), ct));
        }
        catch (DiscoveryRequestException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "Nothing was committed");
        }
        catch (OutOfScopeException e)
        {
            return ApiResults.OutOfScope(e);
        }
    }
}
