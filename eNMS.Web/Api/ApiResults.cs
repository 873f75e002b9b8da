using eNMS.Core.Automation.Execution;
using eNMS.Core.Inventory.Editing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace eNMS.Web.Api;

internal static class ApiResults
{
    /// <summary>A save's answer: <paramref name="reply"/> when it succeeded, else RFC 7807 — 404 when the object is
    /// gone, validation problems per field otherwise.</summary>
    public static Results<TSaved, ValidationProblem, ProblemHttpResult> Saved<TSaved>(EditResult result, Func<EditResult, TSaved> reply)
        where TSaved : IResult
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(reply);
        if (result.Succeeded)
        {
            return reply(result);
        }
        return result.Errors.Count == 1 && result.Errors.ContainsKey("")
            ? NotFound(result.Errors[""])
            : TypedResults.ValidationProblem(result.Errors.ToDictionary(e => e.Key, e => new[] { e.Value }));
    }

    /// <summary>As <see cref="Saved"/>, for a save a Core use case may refuse under the scope rules (403, saying why).</summary>
    public static async Task<Results<TSaved, ValidationProblem, ProblemHttpResult>> SavedAsync<TSaved>(Func<Task<EditResult>> save,
        Func<EditResult, TSaved> reply)
        where TSaved : IResult
    {
        ArgumentNullException.ThrowIfNull(save);
        EditResult result;
        try
        {
            result = await save();
        }
        catch (Core.Security.OutOfScopeException e)
        {
            return OutOfScope(e);
        }
        return Saved(result, reply);
    }

    /// <summary>A change a Core use case refused under the scope rules: 403, saying why.</summary>
    public static ProblemHttpResult OutOfScope(Core.Security.OutOfScopeException e) =>
        TypedResults.Problem(e.Message, statusCode: StatusCodes.Status403Forbidden, title: e.Title);

    public static ProblemHttpResult BadFilter(ArgumentException e) =>
        TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest,
            title: e is Core.Text.UserRegexTimeoutException ? "Regular expression timed out" : "Invalid filter");

    /// <summary>A missing object (or one outside the caller's pools, which is the same to them): 404 saying which kind.</summary>
    public static ProblemHttpResult NotFound(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound);

    /// <summary>A run started (202 with its id and where to follow it), or why it cannot start (400, each problem listed
    /// under <c>problems</c> when <paramref name="listProblems"/>; 403 when the service's run list leaves the user out).</summary>
    public static Results<Accepted<RunStarted>, ProblemHttpResult> Launched(LaunchResult launch, bool listProblems = true) =>
        launch.Started
            ? TypedResults.Accepted($"/api/runs/{launch.RunId}", new RunStarted(launch.RunId))
            : TypedResults.Problem(string.Join(" ", launch.Problems), statusCode: launch.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest,
                title: launch.Forbidden ? "Not on the access list" : "The run cannot start",
                extensions: listProblems ? new Dictionary<string, object?> { ["problems"] = launch.Problems } : null);
}

/// <summary>Ids for a bulk delete.</summary>
public sealed record IdList(IReadOnlyList<int> Ids);

/// <summary>The id of what a POST created.</summary>
internal sealed record CreatedId(int Id);

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
