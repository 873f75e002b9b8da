using System.Linq.Expressions;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Handlers;
using eNMS.Core.Configurations;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Security;
using eNMS.Core.Text;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Search;

/// <summary>The kinds the top bar's search finds, in the order their groups are shown.</summary>
public enum SearchKind
{
    Device,
    Link,
    Service,
    Workflow,
    ComplianceRule,
    Run,
    Configuration,
}

/// <summary>One thing found: what it is, what to call it, one line saying why it matched, and where it lives.</summary>
public sealed record SearchHit(SearchKind Kind, int Id, string Title, string Detail, string Url);

/// <summary>What a search found, grouped by kind, or why the query was not run.</summary>
public sealed record SearchResults(IReadOnlyList<SearchHit> Hits, string? Problem)
{
    public static SearchResults None { get; } = new([], null);

    public IEnumerable<IGrouping<SearchKind, SearchHit>> Groups => Hits.GroupBy(h => h.Kind).OrderBy(g => g.Key);
}

/// <summary>
/// The top bar's search across devices, links, services, workflows, compliance rules, runs and the latest configurations. A query is
/// plain text matched case-insensitively as "contains" (never a regular expression), bounded in length, and each kind
/// answers at most <see cref="PerKind"/> hits. Everything is read through the user's pool scope (a scoped context and the
/// configuration search's own scope), so a user limited to pools finds nothing outside them.
/// </summary>
public sealed class GlobalSearch(IDbContextFactory<EnmsDbContext> dbFactory, ConfigSearch configSearch)
{
    public const int MinQueryLength = 2;
    public const int MaxQueryLength = 100;
    public const int PerKind = 8;

    /// <param name="query">Plain text; shorter than <see cref="MinQueryLength"/> finds nothing, longer than <see cref="MaxQueryLength"/> is refused.</param>
    /// <param name="scope">The user's pools (null: every device).</param>
    /// <param name="maskSecrets">Configuration lines are shown with their secrets masked (users without <c>secrets.read</c>).</param>
    /// <param name="ct">Cancels the search (the top bar cancels it when a newer query replaces it).</param>
    public async Task<SearchResults> SearchAsync(string query, IReadOnlyList<int>? scope, bool maskSecrets, CancellationToken ct)
    {
        var text = (query ?? "").Trim();
        if (text.Length < MinQueryLength)
        {
            return SearchResults.None;
        }
        if (text.Length > MaxQueryLength)
        {
            return new SearchResults([], $"Search for at most {MaxQueryLength} characters.");
        }
        if (InventoryNames.ControlCharacter(text) is not null)
        {
            return new SearchResults([], "The search contains a control character.");
        }
        var like = $"%{LikePattern.Escape(text.ToLowerInvariant())}%";
        var hits = new List<SearchHit>();
        await using var db = await dbFactory.CreateScopedAsync(scope, ct);

        var devices = await db.Devices
            .Where(Containing<Device>(like, d => d.Name, d => d.Address, d => d.Location, d => d.Platform))
            .OrderBy(d => d.Name).Take(PerKind).Select(d => new { d.Id, d.Name, d.Address, d.Platform, d.Location }).ToListAsync(ct);
        hits.AddRange(devices.Select(d => new SearchHit(SearchKind.Device, d.Id, d.Name,
            string.Join(" · ", new[] { d.Address, d.Platform, d.Location }.Where(s => s.Length > 0)), $"devices/{d.Id}")));

        var links = await db.Links.AsNoTracking()
            .Where(Containing<Link>(like, l => l.Name, l => l.Source!.Name, l => l.Destination!.Name))
            .OrderBy(l => l.Name).Take(PerKind).Select(l => new { l.Id, l.Name, Source = l.Source!.Name, Destination = l.Destination!.Name }).ToListAsync(ct);
        hits.AddRange(links.Select(l => new SearchHit(SearchKind.Link, l.Id, l.Name, $"{l.Source} ↔ {l.Destination}", $"links/{l.Id}/edit")));

        // Services are not device data: every reader sees the catalogue (ad-hoc rollbacks stay out of it), as read lists allow.
        foreach (var (kind, workflows) in new[] { (SearchKind.Service, false), (SearchKind.Workflow, true) })
        {
            var services = await db.Services.AsNoTracking().Catalogue()
                .Where(s => (s.Kind == ServiceHandlers.WorkflowKind) == workflows)
                .Where(Containing<Service>(like, s => s.Name, s => s.Description, s => s.Kind))
                .OrderBy(s => s.Name).Take(PerKind * 4)
                .Select(s => new Service { Id = s.Id, Name = s.Name, Kind = s.Kind, Description = s.Description, Owner = s.Owner, ReadAccess = s.ReadAccess, EditAccess = s.EditAccess, RunAccess = s.RunAccess })
                .ToListAsync(ct);
            // A service whose read list leaves the user out is not found (filtered in memory, from a bounded page).
            hits.AddRange(services.Readable(AuditActor.Current).Take(PerKind).Select(s => new SearchHit(kind, s.Id, s.Name, s.Description.Length > 0 ? $"{s.Kind} · {Shorten(s.Description)}" : s.Kind,
                workflows ? $"workflows/{s.Id}/designer" : $"services/{s.Id}/edit")));
        }

        // Compliance rules, as their read lists allow (filtered in memory, from a bounded page).
        var rules = await db.ComplianceRules.AsNoTracking().Where(Containing<ComplianceRule>(like, r => r.Name, r => r.Platform))
            .OrderBy(r => r.Name).Take(PerKind * 4).ToListAsync(ct);
        hits.AddRange(rules.Readable(AuditActor.Current).Take(PerKind).Select(r => new SearchHit(SearchKind.ComplianceRule, r.Id, r.Name,
            $"{r.Mode}{(r.Platform.Length > 0 ? $" · {r.Platform}" : "")}", "compliance")));

        var runNumber = text.TrimStart('#');
        var runId = int.TryParse(runNumber, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : -1;
        // "#12" or "12" finds run 12 (when the user sees it), before the runs whose service or author match.
        var byId = await db.Runs.Where(r => r.Id == runId).Select(r => new { r.Id, r.ServiceName, r.Status, r.CreatedAt, r.CreatedBy }).ToListAsync(ct);
        var byText = await db.Runs.Where(Containing<Run>(like, r => r.ServiceName, r => r.CreatedBy))
            .OrderByDescending(r => r.Id).Take(PerKind).Select(r => new { r.Id, r.ServiceName, r.Status, r.CreatedAt, r.CreatedBy }).ToListAsync(ct);
        var runs = byId.Concat(byText).DistinctBy(r => r.Id).Take(PerKind);
        hits.AddRange(runs.Select(r => new SearchHit(SearchKind.Run, r.Id, $"#{r.Id} {r.ServiceName}",
            $"{r.Status.ToString().ToLowerInvariant()} · {r.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC · {r.CreatedBy}", $"runs/{r.Id}")));

        // The configuration search page's engine, with the text escaped: no user pattern reaches the regex engine.
        var configurations = await configSearch.SearchAsync(text, regex: false, contextLines: 0, maskSecrets, scope, ct);
        hits.AddRange(configurations.OrderBy(h => h.DeviceName, StringComparer.OrdinalIgnoreCase).Take(PerKind).Select(h => new SearchHit(SearchKind.Configuration, h.DeviceId,
            h.DeviceName, $"line {h.Matches[0].LineNumber}: {Shorten(h.Matches[0].Line.Trim())}" + (h.Matches.Count > 1 ? $" (+{h.Matches.Count - 1})" : ""),
            $"devices/{h.DeviceId}/configuration")));
        return new SearchResults(hits, null);
    }

    /// <summary>Any of <paramref name="columns"/> contains the text, case-insensitively: lower(column) LIKE the lowered
    /// pattern, as the grids filter, so SQLite and PostgreSQL answer alike.</summary>
    private static Expression<Func<T, bool>> Containing<T>(string like, params Expression<Func<T, string>>[] columns)
    {
        var row = Expression.Parameter(typeof(T), "row");
        var toLower = typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)!;
        var likeMethod = typeof(DbFunctionsExtensions).GetMethod(nameof(DbFunctionsExtensions.Like), [typeof(DbFunctions), typeof(string), typeof(string), typeof(string)])!;
        var tests = columns.Select(column => (Expression)Expression.Call(likeMethod, Expression.Constant(EF.Functions),
            Expression.Call(new Rebind(column.Parameters[0], row).Visit(column.Body), toLower), Expression.Constant(like), Expression.Constant("\\")));
        return Expression.Lambda<Func<T, bool>>(tests.Aggregate(Expression.OrElse), row);
    }

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";

}
