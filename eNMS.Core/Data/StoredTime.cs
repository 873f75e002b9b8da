using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage;

namespace eNMS.Core.Data;

/// <summary>
/// Instants compared in SQL. SQLite keeps a DateTimeOffset as text ("2026-12-01 13:30:00+01:00") that EF will not
/// compare (text order is not time order across offsets); PostgreSQL compares them natively but EF does not translate
/// <see cref="DateTimeOffset.ToUnixTimeMilliseconds"/>. <see cref="UnixMilliseconds"/> is one number both databases
/// compute, rounded to the millisecond (SQLite's own precision): compare it with the bound's
/// <see cref="DateTimeOffset.ToUnixTimeMilliseconds"/>.
/// </summary>
public static class StoredTime
{
    private static readonly RelationalTypeMapping Real = new DoubleTypeMapping("REAL");

    /// <summary>Milliseconds since the Unix epoch; inside a query the database computes it from the stored value.</summary>
    public static long UnixMilliseconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    /// <summary>SQLite: <c>CAST(round((julianday(t) - 2440587.5) * 86400000.0) AS INTEGER)</c>; julianday reads the
    /// stored offset and counts whole milliseconds.</summary>
    internal static void MapSqlite(ModelBuilder builder) => Map(builder, time =>
        Milliseconds(Function("julianday", [time]), 2440587.5, 86_400_000.0, "INTEGER"));

    /// <summary>PostgreSQL: <c>CAST(round((date_part('epoch', t) - 0) * 1000) AS bigint)</c>.</summary>
    internal static void MapPostgres(ModelBuilder builder) => Map(builder, time =>
        Milliseconds(Function("date_part", [new SqlConstantExpression("epoch", typeof(string), new StringTypeMapping("text", System.Data.DbType.String)), time]), 0, 1000.0, "bigint"));

    private static void Map(ModelBuilder builder, Func<SqlExpression, SqlExpression> translation) =>
        builder.HasDbFunction(typeof(StoredTime).GetMethod(nameof(UnixMilliseconds))!).HasTranslation(args => translation(args[0]));

    private static SqlFunctionExpression Function(string name, SqlExpression[] arguments) =>
        new(name, arguments, nullable: true, argumentsPropagateNullability: arguments.Select(_ => true), typeof(double), Real);

    private static SqlUnaryExpression Milliseconds(SqlExpression units, double origin, double perUnit, string integerType)
    {
        var since = new SqlBinaryExpression(ExpressionType.Subtract, units, new SqlConstantExpression(origin, typeof(double), Real), typeof(double), Real);
        var scaled = new SqlBinaryExpression(ExpressionType.Multiply, since, new SqlConstantExpression(perUnit, typeof(double), Real), typeof(double), Real);
        return new SqlUnaryExpression(ExpressionType.Convert, Function("round", [scaled]), typeof(long), new LongTypeMapping(integerType));
    }
}
