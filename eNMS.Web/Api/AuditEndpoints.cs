using System.Globalization;
using System.Text;
using eNMS.Core.Data;
using eNMS.Core.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Web.Api;

/// <summary>The audit log, newest first, for admins: filters on user, action and target kind; <c>format=csv</c> exports.</summary>
internal static class AuditEndpoints
{
    public static RouteGroupBuilder MapAuditEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", GetAuditAsync).RequireAuthorization(Policies.Admin).WithTags("Audit")
            .WithSummary("Audit entries, newest first; filters contain-match; format=csv exports");
        api.MapGet("/terminal-sessions/{id:long}", GetTerminalSessionAsync).RequireAuthorization(Policies.Admin).WithTags("Audit")
            .WithSummary("A web terminal session's transcript (secrets redacted); its opening and closing are audit entries");
        return api;
    }

    private static async Task<Results<Ok<List<AuditEntry>>, FileContentHttpResult>> GetAuditAsync(string? user, string? action, string? kind,
        int? take, string? format, IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct)
    {
        var entries = await QueryAsync(dbFactory, new AuditFilter(user, action, kind), Math.Clamp(take ?? 500, 1, 10_000), ct);
        return string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
            ? TypedResults.File(Encoding.UTF8.GetBytes(ToCsv(entries)), "text/csv", "enms-audit.csv")
            : TypedResults.Ok(entries);
    }

    private static async Task<Results<Ok<TerminalSession>, ProblemHttpResult>> GetTerminalSessionAsync(long id, IDbContextFactory<EnmsDbContext> dbFactory,
        CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.TerminalSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct) is { } session
            ? TypedResults.Ok(session) : ApiResults.NotFound("No such terminal session.");
    }

    public static async Task<List<AuditEntry>> QueryAsync(IDbContextFactory<EnmsDbContext> dbFactory, AuditFilter filter, int take, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.AuditEntries.AsNoTracking();
        query = string.IsNullOrWhiteSpace(filter.User) ? query : query.Where(e => e.User.Contains(filter.User));
        query = string.IsNullOrWhiteSpace(filter.Action) ? query : query.Where(e => e.Action.Contains(filter.Action));
        query = string.IsNullOrWhiteSpace(filter.Kind) ? query : query.Where(e => e.TargetKind.Contains(filter.Kind));
        return await query.OrderByDescending(e => e.Id).Take(take).ToListAsync(ct);
    }

    /// <summary>RFC 4180 CSV; a cell that a spreadsheet would read as a formula gets a leading quote.</summary>
    public static string ToCsv(IEnumerable<AuditEntry> entries)
    {
        var csv = new StringBuilder("time,user,action,target kind,target id,target name,before,after,ip\r\n");
        foreach (var e in entries)
        {
            string[] cells = [e.At.ToString("O", CultureInfo.InvariantCulture), e.User, e.Action, e.TargetKind, e.TargetId ?? "", e.TargetName ?? "",
                e.Before ?? "", e.After ?? "", e.Ip ?? ""];
            csv.AppendJoin(',', cells.Select(Cell)).Append("\r\n");
        }
        return csv.ToString();
    }

    private static string Cell(string value)
    {
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0], StringComparison.Ordinal))
        {
            value = "'" + value;
        }
        return "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}

public sealed record AuditFilter(string? User, string? Action, string? Kind);
