using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Data;

/// <summary>Hands out the provider's subclass wherever <c>IDbContextFactory&lt;EnmsDbContext&gt;</c> is asked for.</summary>
internal sealed class EnmsDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<EnmsDbContext>
    where TContext : EnmsDbContext
{
    public EnmsDbContext CreateDbContext() => inner.CreateDbContext();
}
