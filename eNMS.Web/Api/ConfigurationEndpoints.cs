using eNMS.Core.Configurations;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Core.Text;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Web.Api;

/// <summary>Configuration history, diff, search, latest changes, rollback and golden-config compliance. Texts are
/// masked (passwords, secrets, keys, communities) unless the caller has secrets.read.</summary>
internal static class ConfigurationEndpoints
{
    public static RouteGroupBuilder MapConfigurationEndpoints(this RouteGroupBuilder api)
    {
        var configs = api.MapGroup("/configurations").WithTags("Configurations");
        api.MapGet("/devices/{id:int}/configurations", GetDeviceVersionsAsync)
            .WithTags("Configurations").WithSummary("A device's configuration versions, newest first (without their text)");
        configs.MapGet("/{versionId:long}", GetVersionAsync);
        configs.MapGet("/diff", DiffVersionsAsync).WithSummary("Two versions as a unified diff and as side-by-side rows");
        configs.MapGet("/search", SearchConfigurationsAsync)
            .WithSummary("Devices whose latest configuration matches a text (or a regex with regex=true), with context lines");
        configs.MapGet("/changes", GetLatestChangesAsync).WithSummary("Backups that found a change, newest first");
        configs.MapGet("/flagged", GetFlaggedAsync)
            .WithSummary("Backups flagged as not complete configurations (cut, garbled, shrunk, no end marker) that no good backup has followed yet");
        api.MapPost("/devices/{id:int}/configurations/{versionId:long}/rollback", RollbackAsync).WithTags("Configurations")
            .RequireAuthorization(Policies.AutomationRun)
            .WithSummary("Restore a stored version (replace); preview=true is the dry run showing the diff. Returns the run id");

        var compliance = api.MapGroup("/compliance").WithTags("Compliance").WritesRequire(Policies.AutomationWrite);
        compliance.MapGet("/", CheckComplianceAsync).WithSummary("Every applicable rule checked against each device's latest backup");
        compliance.MapGet("/rules", GetRulesAsync).WithSummary("The rules the caller may read (their read lists)");
        compliance.MapGet("/rules/{id:int}", GetRuleAsync);
        compliance.MapPost("/rules", CreateRuleAsync);
        compliance.MapPut("/rules/{id:int}", UpdateRuleAsync);
        compliance.MapDelete("/rules/{id:int}", DeleteRuleAsync);
        api.MapPost("/compliance/rules/{id:int}/remediate", RemediateAsync).WithTags("Compliance").RequireAuthorization(Policies.AutomationRun)
            .WithSummary("Deploy the rule's intended configuration to devices (dryRun=true first shows the diff). Returns the run id");
        return api;
    }

    private static async Task<Results<Ok<List<ConfigVersionInfo>>, ProblemHttpResult>> GetDeviceVersionsAsync(int id, HttpContext http,
        IDbContextFactory<EnmsDbContext> dbFactory, ConfigStore store, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateScopedAsync(http.User, ct);
        return await db.Devices.AnyAsync(d => d.Id == id, ct)
            ? TypedResults.Ok(await store.VersionsAsync(id, http.User.ScopePoolIds(), ct)) : ApiResults.NotFound("No such device.");
    }

    private static async Task<Results<Ok<ConfigVersion>, ProblemHttpResult>> GetVersionAsync(long versionId, HttpContext http,
        IAuthorizationService authorization, ConfigStore store, CancellationToken ct) =>
        await store.FindAsync(versionId, http.User.ScopePoolIds(), ct) is { } version
            ? TypedResults.Ok(await RevealsAsync(http, authorization) ? version : Masked(version))
            : ApiResults.NotFound("No such configuration version.");

    private static async Task<Results<Ok<ConfigDiff>, ProblemHttpResult>> DiffVersionsAsync(long a, long b, HttpContext http,
        IAuthorizationService authorization, ConfigStore store, CancellationToken ct)
    {
        var (first, second) = (await store.FindAsync(a, http.User.ScopePoolIds(), ct), await store.FindAsync(b, http.User.ScopePoolIds(), ct));
        if (first is null || second is null)
        {
            return ApiResults.NotFound($"Configuration version #{(first is null ? a : b)} does not exist.");
        }
        var reveal = await RevealsAsync(http, authorization);
        var (before, after) = reveal ? (first.Config, second.Config) : (ConfigMasking.MaskSecrets(first.Config), ConfigMasking.MaskSecrets(second.Config));
        return TypedResults.Ok(new ConfigDiff(a, b, LineDiff.Unified(before, after), SideBySideDiff.Rows(before, after)));
    }

    private static async Task<Results<Ok<List<ConfigSearchHit>>, ProblemHttpResult>> SearchConfigurationsAsync(string q, bool? regex, int? context,
        HttpContext http, IAuthorizationService authorization, ConfigSearch search, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(await search.SearchAsync(q, regex ?? false, context ?? 0, !await RevealsAsync(http, authorization), http.User.ScopePoolIds(), ct));
        }
        catch (ArgumentException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid search");
        }
    }

    private static async Task<Ok<List<ConfigChange>>> GetLatestChangesAsync(int? take, HttpContext http, ConfigStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.LatestChangesAsync(Math.Min(take ?? 50, 1000), http.User.ScopePoolIds(), ct));

    private static async Task<Ok<List<ConfigVersionInfo>>> GetFlaggedAsync(int? take, HttpContext http, ConfigStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.FlaggedAsync(take ?? 50, http.User.ScopePoolIds(), ct));

    private static async Task<Results<Accepted<RunStarted>, ProblemHttpResult>> RollbackAsync(int id, long versionId, RollbackRequest body,
        HttpContext http, ConfigActions actions, CancellationToken ct) =>
        ApiResults.Launched(await actions.RollbackAsync(id, versionId, body.Preview, http.AuditActor(), http.User.ScopePoolIds(), ct), listProblems: false);

    private static async Task<Ok<List<ComplianceReport>>> CheckComplianceAsync(int? deviceId, HttpContext http, IAuthorizationService authorization,
        ComplianceChecker checker, CancellationToken ct)
    {
        var reports = await checker.CheckAsync(deviceId is int d ? [d] : null, http.User.ScopePoolIds(), ct);
        return TypedResults.Ok(await RevealsAsync(http, authorization) ? reports
            : reports.Select(r => r with { Intended = ConfigMasking.MaskSecrets(r.Intended), Diff = ConfigMasking.MaskSecrets(r.Diff), Missing = r.Missing.Select(ConfigMasking.MaskSecrets).ToList() }).ToList());
    }

    private static async Task<Ok<List<ComplianceRule>>> GetRulesAsync(HttpContext http, IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateScopedAsync(http.User, ct);
        return TypedResults.Ok(await ComplianceRules.ListAsync(db, AuditActor.Current, ct));
    }

    private static async Task<Results<Ok<ComplianceRule>, ProblemHttpResult>> GetRuleAsync(int id, HttpContext http, IDbContextFactory<EnmsDbContext> dbFactory,
        CancellationToken ct)
    {
        await using var db = await dbFactory.CreateScopedAsync(http.User, ct);
        return await ComplianceRules.ReadableAsync(db, id, AuditActor.Current, ct) is { } rule ? TypedResults.Ok(rule) : NoSuchRule;
    }

    private static Task<Results<Created<ComplianceRule>, ProblemHttpResult>> CreateRuleAsync(ComplianceRuleInput rule, HttpContext http,
        IDbContextFactory<EnmsDbContext> dbFactory, AuditLog audit, CancellationToken ct) =>
        SaveRuleAsync(null, rule, http, dbFactory, audit, saved => TypedResults.Created($"/api/compliance/rules/{saved.Id}", saved), ct);

    private static Task<Results<Ok<ComplianceRule>, ProblemHttpResult>> UpdateRuleAsync(int id, ComplianceRuleInput rule, HttpContext http,
        IDbContextFactory<EnmsDbContext> dbFactory, AuditLog audit, CancellationToken ct) =>
        SaveRuleAsync(id, rule, http, dbFactory, audit, saved => TypedResults.Ok(saved), ct);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteRuleAsync(int id, HttpContext http, IDbContextFactory<EnmsDbContext> dbFactory,
        AuditLog audit, CancellationToken ct)
    {
        try
        {
            return await ComplianceRules.DeleteAsync(dbFactory, audit, id, http.User.ScopePoolIds(), ct) ? TypedResults.NoContent() : NoSuchRule;
        }
        catch (AccessDeniedException e)
        {
            return ApiResults.OutOfScope(e);
        }
    }

    private static async Task<Results<Accepted<RunStarted>, ProblemHttpResult>> RemediateAsync(int id, RemediationRequest body, HttpContext http,
        ConfigActions actions, CancellationToken ct) =>
        ApiResults.Launched(await actions.RemediateAsync(id, body.DeviceIds, body.DryRun, http.AuditActor(), http.User.ScopePoolIds(), ct), listProblems: false);

    private static ProblemHttpResult NoSuchRule => ApiResults.NotFound("No such compliance rule.");

    private static async Task<Results<TSaved, ProblemHttpResult>> SaveRuleAsync<TSaved>(int? id, ComplianceRuleInput input, HttpContext http,
        IDbContextFactory<EnmsDbContext> dbFactory, AuditLog audit, Func<ComplianceRule, TSaved> reply, CancellationToken ct)
        where TSaved : IResult
    {
        ComplianceRuleSave saved;
        try
        {
            saved = await ComplianceRules.SaveAsync(dbFactory, audit, id, input.ToRule(), new AccessChange(input.Owner, input.ReadAccess, input.EditAccess),
                http.User.ScopePoolIds(), ct);
        }
        catch (AccessDeniedException e)
        {
            return ApiResults.OutOfScope(e);
        }
        return saved.Rule is { } rule ? reply(rule)
            : saved.NotFound ? NoSuchRule
            : TypedResults.Problem(saved.Problem, statusCode: StatusCodes.Status400BadRequest, title: "The compliance rule cannot be saved");
    }

    private static async Task<bool> RevealsAsync(HttpContext http, IAuthorizationService authorization) =>
        (await authorization.AuthorizeAsync(http.User, Policies.SecretsRead)).Succeeded;

    private static ConfigVersion Masked(ConfigVersion v) => new()
    {
        Id = v.Id,
        DeviceId = v.DeviceId,
        DeviceName = v.DeviceName,
        RunId = v.RunId,
        CreatedAt = v.CreatedAt,
        Hash = v.Hash,
        Config = ConfigMasking.MaskSecrets(v.Config),
    };

}

internal sealed record ConfigDiff(long A, long B, string Unified, List<SideBySideRow> Rows);

internal sealed record RollbackRequest(bool Preview);

/// <summary>A rule as the API takes it. Owner and lists: null keeps them (a new rule is its creator's); only its owner or
/// an admin may change them.</summary>
internal sealed record ComplianceRuleInput(string? Name, int? PoolId, string? Platform, ComplianceMode Mode, string? Template, string? Owner = null,
    List<string>? ReadAccess = null, List<string>? EditAccess = null)
{
    public ComplianceRule ToRule() => new() { Name = Name ?? "", PoolId = PoolId, Platform = Platform ?? "", Mode = Mode, Template = Template ?? "" };
}

internal sealed record RemediationRequest(List<int> DeviceIds, bool DryRun);
