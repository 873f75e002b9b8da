using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace eNMS.Core.Data;

// Used only by `dotnet ef migrations add`: the connection strings are never opened.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteEnmsDbContext>
{
    public SqliteEnmsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteEnmsDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresEnmsDbContext>
{
    public PostgresEnmsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresEnmsDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}
