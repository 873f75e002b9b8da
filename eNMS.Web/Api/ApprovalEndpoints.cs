using eNMS.Core.Automation.Approvals;
using eNMS.Core.Security;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace eNMS.Web.Api;

/// <summary>Approval gates of a run: the devices waiting (with the diff they would get) and the decisions taken; approve or
/// reject them. Deciding needs automation.run here; the gate then asks for an editor, an admin or a listed approver.</summary>
internal static class ApprovalEndpoints
{
    public static RouteGroupBuilder MapApprovalEndpoints(this RouteGroupBuilder api)
    {
        var approvals = api.MapGroup("/runs/{id:int}/approvals").WithTags("Runs").WritesRequire(Policies.AutomationRun);
        approvals.MapGet("/", GetApprovalsAsync)
            .WithSummary("The run's approval decisions (pending ones with the diff or output of the node before), of the caller's devices");
        approvals.MapPost("/", DecideAsync)
            .WithSummary("Approve or reject devices waiting at the run's approval gates (deviceIds empty: all the caller sees); refused whole when one is not pending");
        return api;
    }

    private static async Task<Results<Ok<List<ApprovalDecision>>, ProblemHttpResult>> GetApprovalsAsync(int id, HttpContext http, ApprovalGate gate,
        CancellationToken ct) =>
        await gate.ListAsync(id, http.User.ScopePoolIds(), ct) is { } decisions ? TypedResults.Ok(decisions) : ApiResults.NotFound("No such run.");

    private static async Task<Results<Ok<List<ApprovalDecision>>, ProblemHttpResult>> DecideAsync(int id, ApprovalRequest request, HttpContext http,
        IAuthorizationService authorization, ApprovalGate gate, CancellationToken ct)
    {
        var approver = new Approver(http.User.AuditName(), (await authorization.AuthorizeAsync(http.User, ApprovalGate.ApproverPolicy)).Succeeded,
            http.User.ScopePoolIds());
        var outcome = await gate.DecideAsync(id, request, approver, ct);
        return outcome.Refusal switch
        {
            ApprovalRefusal.None => TypedResults.Ok(outcome.Decided.ToList()),
            ApprovalRefusal.NoSuchRun => ApiResults.NotFound(outcome.Problem),
            ApprovalRefusal.Invalid => TypedResults.Problem(outcome.Problem, statusCode: StatusCodes.Status400BadRequest),
            ApprovalRefusal.Forbidden => TypedResults.Problem(outcome.Problem, statusCode: StatusCodes.Status403Forbidden),
            _ => TypedResults.Problem(outcome.Problem, statusCode: StatusCodes.Status409Conflict),
        };
    }
}
