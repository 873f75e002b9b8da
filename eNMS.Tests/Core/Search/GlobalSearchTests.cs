using eNMS.Core.Automation;
using eNMS.Core.Configurations;
using eNMS.Core.Inventory;
using eNMS.Core.Search;
using eNMS.Tests.TestSupport;

namespace eNMS.Tests.Core.Search;

public sealed class GlobalSearchTests : IDisposable
{
    private readonly TestDatabase _db = new();
    private readonly GlobalSearch _search;

    public GlobalSearchTests() => _search = new GlobalSearch(_db, new ConfigSearch(new ConfigStore(_db, TimeProvider.System)));

    public void Dispose() => _db.Dispose();

    private async Task SeedParisAsync()
    {
        await using var db = _db.CreateDbContext();
        var paris = new Device { Name = "paris-core", Address = "192.0.2.1", Platform = "cisco_ios", Location = "Paris" };
        var lyon = new Device { Name = "lyon-core", Address = "192.0.2.2", Platform = "cisco_ios" };
        db.Devices.AddRange(paris, lyon);
        db.Links.Add(new Link { Name = "paris-lyon", Source = paris, Destination = lyon });
        db.Services.AddRange(
            new Service { Name = "Paris show version", Kind = "cli_commands" },
            new Service { Name = "Paris nightly", Kind = "workflow", Description = "backs up the Paris PoP" },
            new Service { Name = "rollback of paris-core", Kind = "config_rollback", IsAdHoc = true });
        await db.SaveChangesAsync();
        db.Runs.Add(new Run { ServiceName = "Paris nightly", CreatedBy = "admin", Status = RunStatus.Completed, DeviceIds = [paris.Id] });
        db.ConfigVersions.Add(new ConfigVersion { DeviceId = lyon.Id, DeviceName = lyon.Name, Config = "hostname lyon-core\ninterface to-paris\n description uplink", Hash = "h" });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Finds_every_kind_grouped_in_order()
    {
        await SeedParisAsync();

        var results = await _search.SearchAsync("PARIS", scope: null, maskSecrets: true, CancellationToken.None);

        Assert.Null(results.Problem);
        Assert.Equal([SearchKind.Device, SearchKind.Link, SearchKind.Service, SearchKind.Workflow, SearchKind.Run, SearchKind.Configuration],
            results.Groups.Select(g => g.Key));
        Assert.Equal("paris-core", Assert.Single(results.Hits, h => h.Kind == SearchKind.Device).Title);
        Assert.Equal("paris-lyon", Assert.Single(results.Hits, h => h.Kind == SearchKind.Link).Title);
        // Ad-hoc actions (rollbacks) are not in the catalogue, so the search does not offer them.
        Assert.Equal("Paris show version", Assert.Single(results.Hits, h => h.Kind == SearchKind.Service).Title);
        var workflow = Assert.Single(results.Hits, h => h.Kind == SearchKind.Workflow);
        Assert.StartsWith("workflows/", workflow.Url, StringComparison.Ordinal);
        Assert.Contains("Paris nightly", Assert.Single(results.Hits, h => h.Kind == SearchKind.Run).Title, StringComparison.Ordinal);
        var configuration = Assert.Single(results.Hits, h => h.Kind == SearchKind.Configuration);
        Assert.Equal(("lyon-core", "line 2: interface to-paris"), (configuration.Title, configuration.Detail));
    }

    [Fact]
    public async Task A_compliance_rule_is_found_only_by_those_its_read_list_allows()
    {
        await using (var db = _db.CreateDbContext())
        {
            db.ComplianceRules.AddRange(
                new ComplianceRule { Name = "paris ntp", Platform = "cisco_ios", Template = "ntp server 192.0.2.9" },
                new ComplianceRule { Name = "paris aaa", Platform = "cisco_ios", Template = "aaa new-model", Owner = "carol", ReadAccess = ["user:carol"] });
            await db.SaveChangesAsync();
        }
        var previous = eNMS.Core.Security.AuditActor.Current;
        try
        {
            var found = new Dictionary<string, List<string>>();
            foreach (var user in new[] { "bob", "carol" })
            {
                eNMS.Core.Security.AuditActor.Current = new eNMS.Core.Security.AuditActor(user, null);
                var results = await _search.SearchAsync("paris", scope: null, maskSecrets: true, CancellationToken.None);
                found[user] = [.. results.Hits.Where(h => h.Kind == SearchKind.ComplianceRule).Select(h => h.Title)];
                Assert.All(results.Hits.Where(h => h.Kind == SearchKind.ComplianceRule), h => Assert.Equal("compliance", h.Url));
            }
            Assert.Equal(["paris ntp"], found["bob"]);
            Assert.Equal(["paris aaa", "paris ntp"], found["carol"]);
        }
        finally
        {
            eNMS.Core.Security.AuditActor.Current = previous;
        }
    }

    [Fact]
    public async Task A_run_is_found_by_its_number()
    {
        await SeedParisAsync();
        await using var db = _db.CreateDbContext();
        var run = db.Runs.Single();

        var results = await _search.SearchAsync($"#{run.Id}", scope: null, maskSecrets: true, CancellationToken.None);

        Assert.Equal($"runs/{run.Id}", Assert.Single(results.Hits, h => h.Kind == SearchKind.Run).Url);
    }

    [Fact]
    public async Task A_user_limited_to_pools_finds_nothing_outside_them()
    {
        var world = await ScopedWorld.SeedAsync(_db);

        var unlimited = await _search.SearchAsync("secret-outside", scope: null, maskSecrets: true, CancellationToken.None);
        var limited = await _search.SearchAsync("secret-outside", world.Scope, maskSecrets: true, CancellationToken.None);
        var hostnames = await _search.SearchAsync("hostname", world.Scope, maskSecrets: true, CancellationToken.None);
        var runs = await _search.SearchAsync("backup", world.Scope, maskSecrets: true, CancellationToken.None);
        var outsideRun = await _search.SearchAsync($"#{world.OutsideRun}", world.Scope, maskSecrets: true, CancellationToken.None);

        Assert.Contains(unlimited.Hits, h => h.Kind == SearchKind.Device && h.Id == world.Outside);
        Assert.Contains(unlimited.Hits, h => h.Kind == SearchKind.Configuration && h.Id == world.Outside);
        Assert.Empty(limited.Hits);
        Assert.Equal([world.Inside], hostnames.Hits.Where(h => h.Kind == SearchKind.Configuration).Select(h => h.Id));
        Assert.DoesNotContain(runs.Hits, h => h.Id == world.OutsideRun);
        Assert.Contains(runs.Hits, h => h.Id == world.InsideRun);
        Assert.DoesNotContain(outsideRun.Hits, h => h.Kind == SearchKind.Run);
    }

    [Fact]
    public async Task Configuration_secrets_are_neither_shown_nor_searchable_when_masked()
    {
        var world = await ScopedWorld.SeedAsync(_db);

        var masked = await _search.SearchAsync("public", scope: null, maskSecrets: true, CancellationToken.None);
        var clear = await _search.SearchAsync("public", scope: null, maskSecrets: false, CancellationToken.None);

        Assert.DoesNotContain(masked.Hits, h => h.Kind == SearchKind.Configuration);
        Assert.Contains(clear.Hits, h => h.Kind == SearchKind.Configuration && h.Id == world.Inside);
    }

    [Fact]
    public async Task Queries_and_results_are_bounded_and_never_a_regular_expression()
    {
        await using (var db = _db.CreateDbContext())
        {
            db.Devices.AddRange(Enumerable.Range(1, 30).Select(i => new Device { Name = $"edge-{i:D2}" }));
            db.Devices.Add(new Device { Name = "a.b_c%d" });
            await db.SaveChangesAsync();
        }

        var many = await _search.SearchAsync("edge", scope: null, maskSecrets: true, CancellationToken.None);
        var tooLong = await _search.SearchAsync(new string('x', GlobalSearch.MaxQueryLength + 1), scope: null, maskSecrets: true, CancellationToken.None);
        var tooShort = await _search.SearchAsync("e", scope: null, maskSecrets: true, CancellationToken.None);
        var pattern = await _search.SearchAsync("edge-.*", scope: null, maskSecrets: true, CancellationToken.None);
        var catastrophic = await _search.SearchAsync("(a+)+$", scope: null, maskSecrets: true, CancellationToken.None);
        var wildcards = await _search.SearchAsync("b_c%", scope: null, maskSecrets: true, CancellationToken.None);
        var underscore = await _search.SearchAsync("e_ge", scope: null, maskSecrets: true, CancellationToken.None);

        Assert.Equal(GlobalSearch.PerKind, many.Hits.Count);
        Assert.Equal("edge-01", many.Hits[0].Title);
        Assert.Contains("at most 100", tooLong.Problem, StringComparison.Ordinal);
        Assert.Empty(tooShort.Hits);
        Assert.Empty(pattern.Hits);
        Assert.Empty(catastrophic.Hits);
        Assert.Equal("a.b_c%d", Assert.Single(wildcards.Hits).Title);
        Assert.Empty(underscore.Hits);
    }
}
