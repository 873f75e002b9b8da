using System.Data.Common;
using eNMS.Core.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace eNMS.Core.Data;

/// <summary>
/// SQLite's <c>REGEXP</c> (what EF makes of <c>Regex.IsMatch</c> in a grid filter) through <see cref="UserRegex"/>:
/// EF registers it as a plain <c>Regex.IsMatch</c>, without a timeout, so <c>filter.name=/^(e+)+$/</c> held a request
/// for 23 s on a 27-character name. Registered again when the connection opens, which replaces EF's.
/// </summary>
public sealed class SqliteUserRegex : DbConnectionInterceptor
{
    private static void Apply(DbConnection connection)
    {
        if (connection is SqliteConnection sqlite)
        {
            sqlite.CreateFunction("regexp", (string? pattern, string? input) =>
                pattern is null || input is null ? (bool?)null : UserRegex.IsMatch(input, pattern), isDeterministic: true);
        }
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }
}
