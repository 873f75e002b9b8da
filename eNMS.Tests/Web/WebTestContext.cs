using Bunit;
using Bunit.TestDoubles;
using eNMS.Core.Data;
using eNMS.Core.Inventory.Editing;
using eNMS.Core.Inventory.Export;
using eNMS.Core.Inventory.Import;
using eNMS.Core.Security;
using eNMS.Web.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace eNMS.Tests.Web;

/// <summary>
/// The one bunit base class: MudBlazor services, loose JS interop, an in-memory SQLite database (connection held
/// open, migrations applied) behind <see cref="IDbContextFactory{EnmsDbContext}"/>, and the inventory services.
/// xunit v2 awaits <see cref="IAsyncLifetime.DisposeAsync"/>, which MudBlazor's async-only services need.
/// </summary>
public abstract class WebTestContext : BunitContext, IAsyncLifetime
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    protected WebTestContext()
    {
        _connection.Open();
        var options = new DbContextOptionsBuilder<SqliteEnmsDbContext>().UseSqlite(_connection).Options;
        DbFactory = new TestDbFactory(options);
        using (var db = DbFactory.CreateDbContext())
        {
            db.Database.Migrate();
        }
        // Generous: these 2 cores are shared with other builds, and a debounced filter plus a query can take seconds there.
        DefaultWaitTimeout = TimeSpan.FromSeconds(20);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(DbFactory);
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton(new SecretProtector(new EphemeralDataProtectionProvider()));
        Services.AddSingleton(new eNMS.Core.Automation.RunInputs(new EphemeralDataProtectionProvider()));
        Services.AddOptions<ImportSettings>();
        Services.AddSingleton<ImportCredentials>();
        Services.AddSingleton<InventoryImporter>();
        Services.AddSingleton<InventoryExporter>();
        Services.AddSingleton<eNMS.Core.Security.AuditLog>();
        Services.AddSingleton<eNMS.Core.Automation.Execution.RunDispatcher>();
        Services.AddSingleton<eNMS.Core.Scheduling.ChangeFreezes>();
        Services.AddSingleton<InventoryEditor>();
        Services.AddSingleton<eNMS.Core.Automation.Approvals.ApprovalGate>();
        Services.AddSingleton<DeviceBulkEditor>();
        // An admin by default; a test can narrow it through Authorization before the first render.
        Authorization = AddAuthorization();
        Authorization.SetAuthorized("tester");
        Authorization.SetRoles(Roles.Admin);
        Authorization.SetPolicies([.. Policies.RolesFor.Keys]);
        Services.AddScoped<UserAccess>();
    }

    protected BunitAuthorizationContext Authorization { get; }

    protected IDbContextFactory<EnmsDbContext> DbFactory { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _connection.DisposeAsync();
    }

    /// <summary>Adds rows straight to the database (one context, one save).</summary>
    protected async Task SeedAsync(Action<EnmsDbContext> add)
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        add(db);
        await db.SaveChangesAsync();
    }

    /// <summary>What the browser tells the latest Virtualize once it has laid its list out: the view, this many pixels
    /// high, is at the top (bunit has no layout, so a virtualised list shows nothing until told).</summary>
    protected async Task ShowViewportAsync<T>(IRenderedComponent<T> rendered, float height) where T : Microsoft.AspNetCore.Components.IComponent
    {
        ArgumentNullException.ThrowIfNull(rendered);
        var init = JSInterop.Invocations.Last(i => i.Identifier.EndsWith("Virtualize.init", StringComparison.Ordinal));
        var reference = init.Arguments[0]!;
        var jsInterop = reference.GetType().GetProperty("Value")!.GetValue(reference)!;
        var visible = jsInterop.GetType().GetMethod("OnSpacerBeforeVisible", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)!;
        await rendered.InvokeAsync(() => visible.Invoke(jsInterop, [0f, 0f, height]));
    }

    private sealed class TestDbFactory(DbContextOptions<SqliteEnmsDbContext> options) : IDbContextFactory<EnmsDbContext>
    {
        public EnmsDbContext CreateDbContext() => new SqliteEnmsDbContext(options);
    }
}
