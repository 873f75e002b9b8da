using System.Net.Http.Headers;
using eNMS.Core.Automation;
using eNMS.Core.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace eNMS.Tests.TestSupport;

/// <summary>The real app in-process, on its own data directory and database (SQLite file, or PostgreSQL when
/// a connection string is given). Seeds nothing unless asked.</summary>
public sealed class EnmsAppFactory(string? postgresConnectionString = null, bool seedDemo = false, string? dataDirectory = null)
    : WebApplicationFactory<Program>
{
    private readonly bool _ownsDirectory = dataDirectory is null;

    /// <summary>Pass another factory's directory to start the app again on the same database.</summary>
    public string DataDirectory { get; } = dataDirectory ?? Directory.CreateTempSubdirectory("enms-test-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Enms:DataDirectory", DataDirectory);
        builder.UseSetting("Enms:SeedDemo", seedDemo ? "true" : "false");
        builder.UseSetting("Database:Provider", postgresConnectionString is null ? "Sqlite" : "Postgres");
        builder.UseSetting("Database:ConnectionString", postgresConnectionString ?? "");
        builder.UseSetting("Security:AdminPassword", AdminPasswordSetting);
        builder.UseSetting("Security:ApiRequestsPerMinute", "100000");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services =>
        {
            services.AddServiceHandler<TestStepHandler>();
            TestServices?.Invoke(services);
        });
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Information).AddProvider(Logs));
    }

    public CapturedLogs Logs { get; } = new();

    /// <summary>More services for one test (e.g. an <c>IStartupFilter</c> that measures requests on the server).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    /// <summary>More settings (e.g. "Automation:Outbound:AllowedNetworks:0"), applied after the defaults above.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    public const string AdminPassword = "admin-password-for-tests";

    /// <summary>The configured first admin password; empty makes the app generate and log one.</summary>
    public string AdminPasswordSetting { get; init; } = AdminPassword;

    /// <summary>A user with <paramref name="role"/> (none when null), optionally limited to some pools.</summary>
    public async Task<EnmsUser> CreateUserAsync(string userName, string? role, IReadOnlyList<int>? scopePoolIds = null, string password = "a-long-test-password")
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<EnmsUser>>();
        var user = new EnmsUser { UserName = userName, ScopePoolIds = [.. scopePoolIds ?? []] };
        Check(await users.CreateAsync(user, password));
        if (role is not null)
        {
            Check(await users.AddToRoleAsync(user, role));
        }
        return user;
    }

    /// <summary>A new API token for the user.</summary>
    public async Task<string> CreateTokenAsync(EnmsUser user, TimeSpan? lifetime = null) =>
        (await Services.GetRequiredService<ApiTokens>().CreateAsync(user.Id, "test", lifetime ?? TimeSpan.FromDays(1), CancellationToken.None)).Token;

    /// <summary>An HTTP client that sends <paramref name="token"/> as a bearer token.</summary>
    public HttpClient CreateClient(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A client acting as a new user with <paramref name="role"/> through a personal API token.</summary>
    public async Task<HttpClient> CreateClientAsync(string role, IReadOnlyList<int>? scopePoolIds = null)
    {
        var user = await CreateUserAsync($"{role}-{Guid.NewGuid():N}", role, scopePoolIds);
        return CreateClient(await CreateTokenAsync(user));
    }

    private static void Check(IdentityResult result) =>
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_ownsDirectory)
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
