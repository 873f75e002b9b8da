using eNMS.Core.Automation.Execution;
using eNMS.Core.Configurations;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Core.Text;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Web.Api;

/// <summary>Configuration history, diff, search, latest changes, rollback and golden-config compliance. Texts are
/// masked (passwords, secrets, keys, communities) unless the caller has secrets.read.</summary>
internal static class ConfigurationEndpoints
{
    public static RouteGroupBuilder MapConfigurationEndpoints(this RouteGroupBuilder api)
    {
        var configs = api.MapGroup("/configurations").WithTags("Configurations");
        api.MapGet("/devices/{id:int}/configurations", async (int id, HttpContext http, IDbContextFactory<EnmsDbContext> dbFactory, ConfigStore store, CancellationToken ct) =>
        {
            await using var db = await dbFactory.CreateScopedAsync(http.User, ct);
            return await db.Devices.AnyAsync(d => d.Id == id, ct)
                ? Results.Ok(await store.VersionsAsync(id, http.User.ScopePoolIds(), ct)) : Results.Problem("No such device.", statusCode: 404);
        })
            .WithTags("Configurations").WithSummary("A device's configuration versions, newest first (without their text)");
        configs.MapGet("/{versionId:long}", async (long versionId, HttpContext http, IAuthorizationService authorization, ConfigStore store, CancellationToken ct) =>
            await store.FindAsync(versionId, http.User.ScopePoolIds(), ct) is { } version
                ? Results.Ok(await RevealsAsync(http, authorization) ? version : Masked(version))
                : Results.Problem("No such configuration version.", statusCode: 404));
        configs.MapGet("/diff", async (long a, long b, HttpContext http, IAuthorizationService authorization, ConfigStore store, CancellationToken ct) =>
        {
            var (first, second) = (await store.FindAsync(a, http.User.ScopePoolIds(), ct), await store.FindAsync(b, http.User.ScopePoolIds(), ct));
            if (first is null || second is null)
            {
                return Results.Problem($"Configuration version #{(first is null ? a : b)} does not exist.", statusCode: 404);
            }
            var reveal = await RevealsAsync(http, authorization);
            var (before, after) = reveal ? (first.Config, second.Config) : (ConfigMasking.MaskSecrets(first.Config), ConfigMasking.MaskSecrets(second.Config));
            return Results.Ok(new ConfigDiff(a, b, LineDiff.Unified(before, after), SideBySideDiff.Rows(before, after)));
        }).WithSummary("Two versions as a unified diff and as side-by-side rows");
        configs.MapGet("/search", async (string q, bool? regex, int? context, HttpContext http, IAuthorizationService authorization, ConfigSearch search, CancellationToken ct) =>
        {
            try
            {
                return Results.Ok(await search.SearchAsync(q, regex ?? false, context ?? 0, !await RevealsAsync(http, authorization), http.User.ScopePoolIds(), ct));
            }
            catch (ArgumentException e)
            {
                return Results.Problem(e.Message, statusCode: 400, title: "Invalid search");
            }
        }).WithSummary("Devices whose latest configuration matches a text (or a regex with regex=true), with context lines");
        configs.MapGet("/changes", async (int? take, HttpContext http, ConfigStore store, CancellationToken ct) =>
            await store.LatestChangesAsync(Math.Min(take ?? 50, 1000), http.User.ScopePoolIds(), ct))
            .WithSummary("Backups that found a change, newest first");
        configs.MapGet("/flagged", async (int? take, HttpContext http, ConfigStore store, CancellationToken ct) =>
            await store.FlaggedAsync(take ?? 50, http.User.ScopePoolIds(), ct))
            .WithSummary("Backups flagged as not complete configurations (cut, garbled, shrunk, no end marker) that no good backup has followed yet");
        api.MapPost("/devices/{id:int}/configurations/{versionId:long}/rollback", async (int id, long versionId, RollbackRequest body, HttpContext http,
            ConfigActions actions, CancellationToken ct) =>
            Launched(await actions.RollbackAsync(id, versionId, body.Preview, http.AuditActor(), http.User.ScopePoolIds(), ct))).WithTags("Configurations").RequireAuthorization(Policies.AutomationRun)
            .WithSummary("Restore a stored version (replace); preview=true is the dry run showing the diff. Returns the run id");

        var compliance = api.MapGroup("/compliance").WithTags("Compliance").WritesRequire(Policies.AutomationWrite);
        compliance.MapGet("/", async (int? deviceId, HttpContext http, IAuthorizationService authorization, ComplianceChecker checker, CancellationToken ct) =>
        {
            var reports = await checker.CheckAsync(deviceId is int d ? [d] : null, http.User.ScopePoolIds(), ct);
            return await RevealsAsync(http, authorization) ? reports
                : reports.Select(r => r with { Intended = ConfigMasking.MaskSecrets(r.Intended), Diff = ConfigMasking.MaskSecrets(r.Diff), Missing = r.Missing.Select(ConfigMasking.MaskSecrets).ToList() }).ToList();
        }).WithSummary("Every applicable rule checked against each device's latest backup");
        compliance.MapGet("/rules", async (IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct) =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return await db.ComplianceRules.AsNoTracking().OrderBy(r => r.Name).ToListAsync(ct);
        });
        compliance.MapPost("/rules", async (ComplianceRule rule, IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct) =>
            await SaveRuleAsync(null, rule, dbFactory, ct));
        compliance.MapPut("/rules/{id:int}", async (int id, ComplianceRule rule, IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct) =>
            await SaveRuleAsync(id, rule, dbFactory, ct));
        compliance.MapDelete("/rules/{id:int}", async (int id, IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct) =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var rule = await db.ComplianceRules.FirstOrDefaultAsync(r => r.Id == id, ct);
            if (rule is null)
            {
                return Results.Problem("No such compliance rule.", statusCode: 404);
            }
            db.ComplianceRules.Remove(rule);
            await db.SaveChangesAsync(ct);
            return Results.NoContent();
        });
        api.MapPost("/compliance/rules/{id:int}/remediate", async (int id, RemediationRequest body, HttpContext http, ConfigActions actions, CancellationToken ct) =>
            Launched(await actions.RemediateAsync(id, body.DeviceIds, body.DryRun, http.AuditActor(), http.User.ScopePoolIds(), ct))).WithTags("Compliance").RequireAuthorization(Policies.AutomationRun)
            .WithSummary("Deploy the rule's intended configuration to devices (dryRun=true first shows the diff). Returns the run id");
        return api;
    }

    private static async Task<IResult> SaveRuleAsync(int? id, ComplianceRule input, IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct)
    {
        if (ComplianceRules.Problem(input) is { } problem)
        {
            return Results.Problem(problem, statusCode: 400, title: "The compliance rule cannot be saved");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.ComplianceRules.AnyAsync(r => r.Name == input.Name && r.Id != (id ?? 0), ct))
        {
            return Results.Problem($"A compliance rule named '{input.Name}' already exists.", statusCode: 400);
        }
        var rule = id is int existing ? await db.ComplianceRules.FirstOrDefaultAsync(r => r.Id == existing, ct) : db.ComplianceRules.Add(new ComplianceRule { Name = input.Name }).Entity;
        if (rule is null)
        {
            return Results.Problem("No such compliance rule.", statusCode: 404);
        }
        (rule.Name, rule.PoolId, rule.Platform, rule.Mode, rule.Template) = (input.Name.Trim(), input.PoolId, input.Platform.Trim(), input.Mode, input.Template);
        await db.SaveChangesAsync(ct);
        return id is null ? Results.Created($"/api/compliance/rules/{rule.Id}", rule) : Results.Ok(rule);
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

    private static IResult Launched(LaunchResult launch) =>
        launch.Started
            ? Results.Accepted($"/api/runs/{launch.RunId}", new RunStarted(launch.RunId))
            : TypedResults.Problem(string.Join(" ", launch.Problems), statusCode: StatusCodes.Status400BadRequest, title: "The run cannot start");
}

internal sealed record ConfigDiff(long A, long B, string Unified, List<SideBySideRow> Rows);

internal sealed record RollbackRequest(bool Preview);

internal sealed record RemediationRequest(List<int> DeviceIds, bool DryRun);
