using eNMS.Core.Inventory.Querying;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace eNMS.Web.Api;

/// <summary>Bound from "Api:Limits": how large a request body may be, per endpoint family.</summary>
public sealed class RequestLimits
{
    /// <summary>A JSON body (a device, a service, a schedule…): 1 MiB holds any real object many times over.</summary>
    public long MaxJsonBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Imports have their own limit, owned by <see cref="Core.Inventory.Import.ImportSettings"/> and enforced by the import endpoint.</summary>
    public const string ImportPath = "/api/inventory/import";
}

/// <summary>
/// Bodies and paging of <c>/api</c>: a body over its family's limit answers 413 with a problem naming the limit and
/// the setting (before it is read, when it declares its length; Kestrel stops a longer chunked body at the same
/// limit); <c>page</c>, <c>pageSize</c> and <c>take</c> must be whole numbers, not negative (larger pages are served
/// at <see cref="GridRequest.MaxPageSize"/>).
/// </summary>
internal static class RequestBounds
{
    private static readonly string[] PagingParameters = ["page", "pageSize", "take"];

    public static WebApplication UseRequestBounds(this WebApplication app)
    {
        var limits = app.Services.GetRequiredService<IOptions<RequestLimits>>().Value;
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase), api => api.Use(async (context, next) =>
        {
            var import = context.Request.Path.StartsWithSegments(RequestLimits.ImportPath, StringComparison.OrdinalIgnoreCase);
            var (limit, setting) = (limits.MaxJsonBodyBytes, "Api:Limits:MaxJsonBodyBytes");
            if (!import && context.Request.ContentLength > limit)
            {
                await Results.Problem($"The body is {context.Request.ContentLength:N0} bytes; the limit is {limit:N0} bytes ({setting}).",
                    statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large").ExecuteAsync(context);
                return;
            }
            if (!import && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = limit;
            }
            foreach (var name in PagingParameters)
            {
                if (context.Request.Query.TryGetValue(name, out var value)
                    && (!int.TryParse(value, out var number) || number < (name == "page" ? 0 : 1)))
                {
                    await Results.Problem($"{name} must be a whole number of {(name == "page" ? 0 : 1)} or more (pages hold at most {GridRequest.MaxPageSize:N0} items), not '{value}'.",
                        statusCode: StatusCodes.Status400BadRequest, title: "Invalid paging").ExecuteAsync(context);
                    return;
                }
            }
            await next(context);
        }));
        return app;
    }
}
