using Bunit;
using eNMS.Core.Ansible;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Automation.Handlers;
using eNMS.Core.Automation.Templates;
using eNMS.Core.Configurations;
using eNMS.Core.Inventory;
using eNMS.Core.Security;
using eNMS.Drivers.Config;
using eNMS.Web.Components.Pages.Automation;
using eNMS.Web.Components.Pages.Configurations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace eNMS.Tests.Web;

/// <summary>The configuration history, search, compliance and playbook pages on a seeded test database.</summary>
public sealed class ConfigurationPagesTests : WebTestContext
{
    private const string Version1 = "hostname r1\nntp server 10.0.0.1\nenable secret 9 top-secret-1\nline vty 0 4";
    private const string Version2 = "hostname r1\nntp server 10.0.0.2\nenable secret 9 top-secret-1\nline vty 0 4";
    private const string Version3 = "hostname r1\nntp server 10.0.0.2\nlogging host 10.9.9.9\nenable secret 9 top-secret-1\nline vty 0 4";

    public ConfigurationPagesTests()
    {
        Services.AddLogging();
        Services.AddSingleton<ConfigStore>();
        Services.AddSingleton<ConfigSearch>();
        Services.AddSingleton<TemplateRenderer>();
        Services.AddSingleton<ComplianceChecker>();
        Services.AddSingleton<RunNotifier>();
        Services.AddSingleton(sp => new ServiceHandlers([new ConfigRollbackHandler(sp.GetRequiredService<ConfigStore>(), sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<eNMS.Core.Data.EnmsDbContext>>())]));
        // Quartz without its hosted service: the scheduler never starts, so launched runs stay pending, which is all
        // these pages need.
        Services.AddQuartz();
        Services.AddSingleton<RunDispatcher>();
        Services.AddSingleton<RunLauncher>();
        Services.AddSingleton<ConfigActions>();
        Services.AddSingleton<PlaybookLibrary>();
    }

    private void As(string role)
    {
        Authorization.SetRoles(role);
        Authorization.SetPolicies([.. Policies.RolesFor.Where(p => p.Value.Contains(role)).Select(p => p.Key)]);
    }

    /// <summary>Device r1 with three versions (ids 1, 2, 3) and s1 with one; returns r1's id.</summary>
    private async Task<int> SeedConfigsAsync()
    {
        var r1 = new Device { Name = "r1", Address = "10.0.0.1", Platform = "cisco_ios" };
        var s1 = new Device { Name = "s1", Address = "10.0.0.2", Platform = "cisco_ios" };
        await SeedAsync(db => db.Devices.AddRange(r1, s1));
        var store = Services.GetRequiredService<ConfigStore>();
        foreach (var config in new[] { Version1, Version2, Version3 })
        {
            await store.SaveAsync(r1.Id, r1.Name, config, null, ConfigShape.Unknown, CancellationToken.None);
        }
        await store.SaveAsync(s1.Id, s1.Name, "hostname s1\nntp server 10.0.0.1\nline vty 0 4", null, ConfigShape.Unknown, CancellationToken.None);
        return r1.Id;
    }

    [Fact]
    public async Task The_configuration_page_lists_the_versions_and_diffs_any_two_with_secrets_masked()
    {
        As(Roles.Viewer);
        var r1 = await SeedConfigsAsync();

        var page = Render<DeviceConfigurationPage>(p => p.Add(x => x.Id, r1));

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=version-timeline] tbody tr").Count));
        var unified = page.Find("[data-testid=diff-unified]").TextContent;
        Assert.Contains("+ logging host 10.9.9.9", unified, StringComparison.Ordinal);
        Assert.DoesNotContain("ntp server 10.0.0.1", unified, StringComparison.Ordinal);

        // A = the first version, B = the latest: both changes show.
        var versions = page.FindAll("[data-testid=version-timeline] tbody tr").Select(r => r.Children[2].TextContent.Trim()).ToList();
        await page.InvokeAsync(() => page.Find($"input[aria-label='A = version {versions[^1]}']").Change(true));
        page.WaitForAssertion(() =>
        {
            var both = page.Find("[data-testid=diff-unified]").TextContent;
            Assert.Contains("- ntp server 10.0.0.1", both, StringComparison.Ordinal);
            Assert.Contains("+ ntp server 10.0.0.2", both, StringComparison.Ordinal);
            Assert.Contains("+ logging host 10.9.9.9", both, StringComparison.Ordinal);
        });
        Assert.DoesNotContain("top-secret-1", page.Markup, StringComparison.Ordinal);
        Assert.Contains("Secrets are masked", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flagged_backup_shows_why_and_the_good_version_stays_current_and_the_one_to_roll_back_from()
    {
        As(Roles.Operator);
        var r1 = await SeedConfigsAsync();
        var store = Services.GetRequiredService<ConfigStore>();
        var flagged = await store.SaveAsync(r1, "r1", "hostname r1\nntp ser\uFFFDver", null, ConfigShape.EndsWith("end"), CancellationToken.None);
        Assert.NotNull(flagged.Flag);

        var page = Render<DeviceConfigurationPage>(p => p.Add(x => x.Id, r1));

        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=version-timeline] tbody tr").Count));
        var banner = page.Find("[data-testid=flagged-latest]").TextContent;
        // Numbered per device: r1's fourth version although s1's backup took global id 4 and this one is #5.
        Assert.Equal(5, flagged.Stored.Id);
        Assert.Contains("The last backup (version 4)", banner, StringComparison.Ordinal);
        Assert.Contains("U+FFFD", banner, StringComparison.Ordinal);
        Assert.Contains("Version 3 stays current", banner, StringComparison.Ordinal);
        Assert.Contains("flagged", page.Find($"[data-testid=flagged-{flagged.Stored.Id}]").TextContent, StringComparison.Ordinal);
        Assert.Contains("current", page.Find($"[data-testid=version-{flagged.Previous!.Id}]").TextContent, StringComparison.Ordinal);
        Assert.Equal(["4", "3", "2", "1"], page.FindAll("[data-testid=version-number]").Select(c => c.FirstChild!.TextContent.Trim()));
        Assert.Contains("is a flagged backup", page.Find("[data-testid=flag-reason]").TextContent, StringComparison.Ordinal);
        // Neither the flagged attempt nor the current version is offered as a rollback target: the two older ones are.
        Assert.Equal(2, page.FindAll("[data-testid^=rollback-]").Count);
        Assert.Empty(page.FindAll($"[data-testid=rollback-{flagged.Stored.Id}]"));
    }

    [Fact]
    public async Task A_rollback_preview_runs_titled_by_device_name_and_version_number_without_adding_to_the_catalogue()
    {
        As(Roles.Operator);
        var r1 = await SeedConfigsAsync();
        // Global ids 1-3 are r1's, 4 is s1's, 5 is r1's fourth version and 6 its fifth (current).
        var store = Services.GetRequiredService<ConfigStore>();
        var fourth = await store.SaveAsync(r1, "r1", Version3 + "\nbanner motd x", null, ConfigShape.Unknown, CancellationToken.None);
        await store.SaveAsync(r1, "r1", Version3 + "\nbanner motd y", null, ConfigShape.Unknown, CancellationToken.None);
        Assert.Equal(5, fourth.Stored.Id);
        var page = Render<DeviceConfigurationPage>(p => p.Add(x => x.Id, r1));
        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll("[data-testid=version-timeline] tbody tr").Count));

        await page.InvokeAsync(() => page.Find("[data-testid=rollback-5]").Click());
        await page.InvokeAsync(() => page.Find("[data-testid=rollback-5]").Click()); // a second preview reuses the same ad-hoc service

        page.WaitForAssertion(() => Assert.Contains("Roll back to version 4", page.Find("[data-testid=rollback-preview]").TextContent, StringComparison.Ordinal));
        await using var db = await DbFactory.CreateDbContextAsync();
        var runs = await db.Runs.OrderBy(r => r.Id).Select(r => r.ServiceName).ToListAsync();
        Assert.Equal(["Roll back r1 to version 4 (preview)", "Roll back r1 to version 4 (preview)"], runs);
        Assert.Equal("config_rollback", (await db.Services.SingleAsync()).Kind);
        Assert.Empty(await db.Services.Catalogue().ToListAsync());
    }

    [Theory]
    [InlineData(Roles.Viewer, false)]
    [InlineData(Roles.Operator, true)]
    public async Task Rollback_buttons_show_only_for_roles_that_may_run(string role, bool shown)
    {
        As(role);
        var r1 = await SeedConfigsAsync();

        var page = Render<DeviceConfigurationPage>(p => p.Add(x => x.Id, r1));

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=version-timeline] tbody tr").Count));
        // Every version but the latest can be rolled back to.
        Assert.Equal(shown ? 2 : 0, page.FindAll("[data-testid^=rollback-]").Count);
    }

    [Fact]
    public async Task Search_finds_a_regex_with_context_lines_and_says_why_a_bad_regex_is_refused()
    {
        As(Roles.Viewer);
        await SeedConfigsAsync();
        var page = Render<ConfigSearchPage>();

        page.Find("input[data-testid=search-query]").Change(@"ntp server 10\.0\.0\.[12]$");
        page.Find("input[data-testid=search-regex], [data-testid=search-regex] input").Change(true);
        page.Find("input[data-testid=search-context], [data-testid=search-context] input").Change("1");
        await page.InvokeAsync(() => page.Find("[data-testid=search-run]").Click());

        page.WaitForAssertion(() => Assert.Equal("2 device(s) match.", page.Find("[data-testid=search-summary]").TextContent.Trim()));
        Assert.Equal(["r1", "s1"], page.FindAll("[data-testid=search-device]").Select(d => d.TextContent.Trim()));
        var r1Match = page.FindAll("[data-testid=search-match]")[0].TextContent;
        Assert.Contains("2: ntp server 10.0.0.2", r1Match, StringComparison.Ordinal);
        Assert.Contains("hostname r1", r1Match, StringComparison.Ordinal); // the line before
        Assert.Contains("logging host 10.9.9.9", r1Match, StringComparison.Ordinal); // the line after
        Assert.DoesNotContain("line vty", r1Match, StringComparison.Ordinal); // two lines after: out of context

        page.Find("input[data-testid=search-query]").Change("ntp server (10");
        await page.InvokeAsync(() => page.Find("[data-testid=search-run]").Click());

        page.WaitForAssertion(() => Assert.Contains("'ntp server (10' is not a valid regular expression", page.Find("[data-testid=search-error]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=search-summary]"));
    }

    [Theory]
    [InlineData(Roles.Viewer, false)]
    [InlineData(Roles.Editor, true)]
    public async Task Compliance_shows_each_device_against_its_rule_with_what_is_missing(string role, bool canRemediate)
    {
        As(role);
        await SeedConfigsAsync();
        await SeedAsync(db => db.ComplianceRules.Add(new ComplianceRule
        {
            Name = "ntp and logging",
            Platform = "cisco_ios",
            Mode = ComplianceMode.Snippets,
            Template = "ntp server 10.0.0.2\nlogging host 10.9.9.9",
        }));

        var page = Render<CompliancePage>();

        page.WaitForAssertion(() => Assert.Equal(["compliant", "non-compliant"], page.FindAll("[data-testid=compliance-status]").Select(s => s.TextContent.Trim())));
        var missing = page.Find("[data-testid=compliance-diff]").TextContent;
        Assert.Equal("+ ntp server 10.0.0.2\n+ logging host 10.9.9.9", missing);
        Assert.Equal(canRemediate ? 1 : 0, page.FindAll("[data-testid=remediate-dry-run]").Count);
    }

    [Fact]
    public async Task Compliance_rules_follow_their_lists_a_hidden_rule_is_not_listed_and_one_off_the_edit_list_opens_read_only()
    {
        As(Roles.Editor);
        await SeedAsync(db => db.ComplianceRules.AddRange(
            new ComplianceRule { Name = "carol's hidden rule", Platform = "cisco_ios", Template = "ntp server 10.0.0.2", Owner = "carol", ReadAccess = ["user:carol"] },
            new ComplianceRule { Name = "carol's rule", Platform = "cisco_ios", Template = "ntp server 10.0.0.2", Owner = "carol", EditAccess = ["user:carol"] }));

        var page = Render<CompliancePage>();

        page.WaitForAssertion(() => Assert.Equal(["carol's rule"], page.FindAll("[data-testid=rule-chip]").Select(c => c.TextContent.Trim())));
        Assert.Empty(page.FindAll("[data-testid=rule-read-only]"));
        await page.InvokeAsync(() => page.Find("[data-testid=rule-chip]").Click());

        page.WaitForAssertion(() => Assert.Contains("does not give you the right to edit", page.Find("[data-testid=rule-read-only]").TextContent, StringComparison.Ordinal));
        Assert.True(page.Find("[data-testid=save-rule]").HasAttribute("disabled"));
        Assert.NotEmpty(page.FindAll("[data-testid=access-readonly]"));
        Assert.Contains("user:carol", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void The_playbook_editor_shows_why_yaml_is_invalid_and_allows_saving_only_valid_playbooks()
    {
        var page = Render<PlaybooksPage>();
        page.Find("[data-testid=new-playbook]").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=playbook-valid]")));

        page.Find("[data-testid=playbook-content]").Input("- hosts: all\n  tasks: [\n");

        page.WaitForAssertion(() => Assert.StartsWith("Line ", page.Find("[data-testid=playbook-problem]").TextContent.Trim(), StringComparison.Ordinal));
        Assert.True(page.Find("[data-testid=save-playbook]").HasAttribute("disabled"));

        page.Find("[data-testid=playbook-content]").Input("- name: no hosts\n  tasks: []\n");
        page.WaitForAssertion(() => Assert.Contains("the play has no 'hosts'", page.Find("[data-testid=playbook-problem]").TextContent, StringComparison.Ordinal));

        page.Find("[data-testid=playbook-content]").Input("- hosts: all\n  tasks: []\n");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=playbook-valid]")));
        Assert.False(page.Find("[data-testid=save-playbook]").HasAttribute("disabled"));
    }
}
