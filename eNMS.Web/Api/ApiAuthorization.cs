using Microsoft.AspNetCore.Authorization;

namespace eNMS.Web.Api;

internal static class ApiAuthorization
{
    /// <summary>Every endpoint of the group that is not a GET (create, update, delete, import, run...) also needs
    /// <paramref name="policy"/>; GETs need only the API's read policy.</summary>
    public static RouteGroupBuilder WritesRequire(this RouteGroupBuilder group, string policy)
    {
        ((IEndpointConventionBuilder)group).Add(endpoint =>
        {
            var methods = endpoint.Metadata.OfType<HttpMethodMetadata>().SelectMany(m => m.HttpMethods);
            if (methods.Any(m => !HttpMethods.IsGet(m) && !HttpMethods.IsHead(m)))
            {
                endpoint.Metadata.Add(new AuthorizeAttribute(policy));
            }
        });
        return group;
    }
}
