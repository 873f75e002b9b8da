using eNMS.Core.Inventory.Editing;

namespace eNMS.Web.Api;

internal static class ApiResults
{
    /// <summary>A failed save as RFC 7807: 404 when the object is gone, else validation problems per field.</summary>
    public static IResult Invalid(EditResult result) =>
        result.Errors.Count == 1 && result.Errors.ContainsKey("")
            ? TypedResults.Problem(result.Errors[""], statusCode: StatusCodes.Status404NotFound)
            : TypedResults.ValidationProblem(result.Errors.ToDictionary(e => e.Key, e => new[] { e.Value }));

    /// <summary>A change a Core use case refused under the scope rules: 403, saying why.</summary>
    public static IResult OutOfScope(Core.Security.OutOfScopeException e) =>
        TypedResults.Problem(e.Message, statusCode: StatusCodes.Status403Forbidden, title: "Outside your pools");

    /// <summary>Runs a change, answering 403 when the use case refuses it under the scope rules.</summary>
    public static async Task<IResult> ScopedAsync(Func<Task<IResult>> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        try
        {
            return await change();
        }
        catch (Core.Security.OutOfScopeException e)
        {
            return OutOfScope(e);
        }
    }

    public static IResult BadFilter(ArgumentException e) =>
        TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest,
            title: e is Core.Text.UserRegexTimeoutException ? "Regular expression timed out" : "Invalid filter");
}

/// <summary>Ids for a bulk delete.</summary>
public sealed record IdList(IReadOnlyList<int> Ids);

/// <summary>Query string of a grid page: filters are <c>filter.column=value</c>.</summary>
internal static class GridRequestBinding
{
    public static Core.Inventory.Querying.GridRequest From(HttpRequest request)
    {
        var filters = request.Query.Where(q => q.Key.StartsWith("filter.", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(q => q.Key["filter.".Length..], q => q.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var page = int.TryParse(request.Query["page"], out var p) ? p : 0;
        var size = int.TryParse(request.Query["pageSize"], out var s) ? s : 50;
        var descending = string.Equals(request.Query["descending"], "true", StringComparison.OrdinalIgnoreCase);
        return new(filters, request.Query["sortBy"], descending, page, size);
    }
}
