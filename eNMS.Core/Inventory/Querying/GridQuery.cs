using System.Data.Common;
using System.Linq.Expressions;
using System.Text.RegularExpressions;
using eNMS.Core.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace eNMS.Core.Inventory.Querying;

/// <summary>
/// A page of a server-side grid: per-column filters, one sort column, paging. A filter value is matched as
/// "contains", case-insensitively; <c>=value</c> means equals, <c>/pattern/</c> a regular expression, and a
/// leading <c>!</c> inverts any of them. Runs as SQL on both SQLite and PostgreSQL.
/// </summary>
public sealed record GridRequest(
    IReadOnlyDictionary<string, string>? Filters = null, string? SortBy = null, bool Descending = false, int Page = 0, int PageSize = 50)
{
    /// <summary>Larger page sizes are served as pages of this size (documented in README "Security").</summary>
    public const int MaxPageSize = 1000;

    /// <summary>On PostgreSQL, how long each statement of a grid query with a regex filter may run: 2 s (README "Security").</summary>
    internal const string RegexStatementTimeoutSql = "SET LOCAL statement_timeout = 2000";

    public const string RegexStatementTimeoutMessage = "The regular expression took longer than 2 s over the inventory: simplify it.";
}

public sealed record GridPage<T>(IReadOnlyList<T> Items, int Total);

/// <summary>The columns of one entity a grid may filter and sort on.</summary>
public sealed class GridColumns<T>(IReadOnlyDictionary<string, Expression<Func<T, string>>> columns, Expression<Func<T, int>> id)
{
    public IEnumerable<string> Names => columns.Keys;

    /// <summary>One page of <paramref name="source"/>, read through <paramref name="db"/>: on PostgreSQL a regex filter
    /// runs in a transaction of its own with a statement timeout.</summary>
    /// <exception cref="ArgumentException">A filter names an unknown column or holds an invalid pattern.</exception>
    /// <exception cref="UserRegexTimeoutException">A regex filter ran past its bound.</exception>
    public async Task<GridPage<T>> PageAsync(DbContext db, IQueryable<T> source, GridRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(request);
        var query = source;
        var regex = false;
        foreach (var (column, value) in request.Filters ?? new Dictionary<string, string>())
        {
            if (InventoryNames.ControlCharacter(value) is not null)
            {
                // PostgreSQL refuses NUL in text (a 500 before): refuse every control character, clearly.
                throw new ArgumentException($"The filter on '{column}' contains a control character.");
            }
            if (!string.IsNullOrWhiteSpace(value))
            {
                query = query.Where(Predicate(Column(column), value.Trim()));
                regex |= IsRegex(value.Trim().TrimStart('!'));
            }
        }
        if (request.Page < 0 || request.PageSize < 1)
        {
            throw new ArgumentException($"page must be 0 or more and pageSize 1 or more (at most {GridRequest.MaxPageSize}).");
        }
        var ordered = request.SortBy is { Length: > 0 } sortBy
            ? (request.Descending ? query.OrderByDescending(Column(sortBy)) : query.OrderBy(Column(sortBy))).ThenBy(id)
            : query.OrderBy(id);
        var size = Math.Min(request.PageSize, GridRequest.MaxPageSize);
        var paged = ordered.Skip((int)Math.Min((long)request.Page * size, int.MaxValue)).Take(size);
        try
        {
            if (regex && db.Database.IsNpgsql())
            {
                // PostgreSQL's engine backtracks on backreferences: ^(.*)(.*)(.*)(.*)(.*)\1\2\3\4\5$ over 80 characters
                // took it 9 s, and the server has no per-match timeout. A statement timeout, set for this transaction
                // only, bounds the whole query instead; the pooled connection keeps its own setting.
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                await db.Database.ExecuteSqlRawAsync(GridRequest.RegexStatementTimeoutSql, ct);
                var total = await query.CountAsync(ct);
                var page = new GridPage<T>(await paged.ToListAsync(ct), total);
                await transaction.CommitAsync(ct);
                return page;
            }
            var count = await query.CountAsync(ct);
            return new GridPage<T>(await paged.ToListAsync(ct), count);
        }
        catch (PostgresException e) when (regex && e.SqlState == PostgresErrorCodes.QueryCanceled && !ct.IsCancellationRequested)
        {
            throw new UserRegexTimeoutException(GridRequest.RegexStatementTimeoutMessage, e);
        }
        catch (PostgresException e) when (regex && e.SqlState == PostgresErrorCodes.InvalidRegularExpression)
        {
            // A pattern .NET accepts that PostgreSQL's dialect refuses (or finds "too complex"): the user's mistake, not a 500.
            throw new ArgumentException($"PostgreSQL refuses the regular expression: {e.MessageText}", e);
        }
        catch (DbException e) when (e.Message.Contains(UserRegex.TimeoutMessage, StringComparison.Ordinal))
        {
            throw new UserRegexTimeoutException(UserRegex.TimeoutMessage, e);
        }
    }

    private static bool IsRegex(string filter) => filter.Length > 1 && filter.StartsWith('/') && filter.EndsWith('/');

    private Expression<Func<T, string>> Column(string name) =>
        columns.TryGetValue(name, out var column) ? column
            : throw new ArgumentException($"'{name}' is not a column that can be filtered or sorted: use {string.Join(", ", columns.Keys)}.");

    private static Expression<Func<T, bool>> Predicate(Expression<Func<T, string>> column, string filter)
    {
        var invert = filter.StartsWith('!');
        if (invert)
        {
            filter = filter[1..];
        }
        var value = column.Body;
        Expression test;
        if (IsRegex(filter))
        {
            var pattern = filter[1..^1];
            // Checked here (length, syntax); run by the database: SQLite calls UserRegex through the regexp
            // function SqliteUserRegex registers, PostgreSQL runs its own engine under a statement timeout.
            _ = UserRegex.Create(pattern);
            test = Expression.Call(typeof(Regex).GetMethod(nameof(Regex.IsMatch), [typeof(string), typeof(string)])!, value, Expression.Constant(pattern));
        }
        else
        {
            var exact = filter.StartsWith('=');
            var text = (exact ? filter[1..] : filter).ToLowerInvariant();
            var lowered = Expression.Call(value, typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)!);
            var like = exact ? text : $"%{LikePattern.Escape(text)}%";
            test = exact
                ? Expression.Equal(lowered, Expression.Constant(text))
                : Expression.Call(typeof(DbFunctionsExtensions).GetMethod(nameof(DbFunctionsExtensions.Like),
                    [typeof(DbFunctions), typeof(string), typeof(string), typeof(string)])!,
                    Expression.Constant(EF.Functions), lowered, Expression.Constant(like), Expression.Constant("\\"));
        }
        if (invert)
        {
            test = Expression.Not(test);
        }
        return Expression.Lambda<Func<T, bool>>(test, column.Parameters);
    }

}

public static class InventoryGrids
{
    public static GridColumns<Device> Devices { get; } = new(new Dictionary<string, Expression<Func<Device, string>>>(StringComparer.OrdinalIgnoreCase)
    {
        ["name"] = d => d.Name,
        ["address"] = d => d.Address,
        ["platform"] = d => d.Platform,
        ["transport"] = d => d.Transport,
        ["vendor"] = d => d.Vendor,
        ["model"] = d => d.Model,
        ["operating_system"] = d => d.OperatingSystem,
        ["os_version"] = d => d.OsVersion,
        ["location"] = d => d.Location,
        ["description"] = d => d.Description,
        ["simulated"] = d => d.Simulated ? "true" : "false",
    }, d => d.Id);

    public static GridColumns<Link> Links { get; } = new(new Dictionary<string, Expression<Func<Link, string>>>(StringComparer.OrdinalIgnoreCase)
    {
        ["name"] = l => l.Name,
        ["source_name"] = l => l.Source!.Name,
        ["destination_name"] = l => l.Destination!.Name,
        ["vendor"] = l => l.Vendor,
        ["model"] = l => l.Model,
        ["subtype"] = l => l.Subtype,
        ["location"] = l => l.Location,
        ["description"] = l => l.Description,
    }, l => l.Id);
}
