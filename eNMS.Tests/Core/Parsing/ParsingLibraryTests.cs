using eNMS.Core.Parsing;
using eNMS.Tests.TestSupport;
using Microsoft.Extensions.Options;

namespace eNMS.Tests.Core.Parsing;

/// <summary>Where templates come from and in which order: stored, then the admin's ntc-style directory, then built-in.</summary>
public sealed class ParsingLibraryTests : IDisposable
{
    private const string IosVersion = "Cisco IOS Software, IOSv Software (VIOS-ADVENTERPRISEK9-M), Version 15.9(3)M4\nr1 uptime is 3 minutes\n";
    private readonly TestDatabase _db = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("enms-templates-").FullName;
    private readonly ParsingLibrary _library;

    public ParsingLibraryTests() =>
        _library = new ParsingLibrary(_db, new Monitor(new ParsingOptions { TemplateDirectory = _directory }));

    public void Dispose()
    {
        _db.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private void WriteDirectory(string index, params (string Name, string Text)[] files)
    {
        File.WriteAllText(Path.Combine(_directory, "index"), index);
        foreach (var (name, text) in files)
        {
            File.WriteAllText(Path.Combine(_directory, name), text);
        }
    }

    private Task<TextFsmTable> ParseAsync(string platform, string command, string text, string? name = null) =>
        _library.ParseAsync(name, platform, command, text, CancellationToken.None);

    [Fact]
    public async Task No_template_for_a_platform_and_command_is_a_clear_error()
    {
        var e = await Assert.ThrowsAsync<ParsingException>(() => ParsingAsync("frr", "show version"));
        Assert.Equal("no template for platform 'frr' command 'show version'", e.Message);
        var named = await Assert.ThrowsAsync<ParsingException>(() => ParseAsync("", "", "", "nope.textfsm"));
        Assert.Equal("no template named 'nope.textfsm'", named.Message);
        var traversal = await Assert.ThrowsAsync<ParsingException>(() => ParseAsync("", "", "", "../index"));
        Assert.Equal("no template named '../index'", traversal.Message);
    }

    private Task<TextFsmTable> ParsingAsync(string platform, string command) => ParseAsync(platform, command, "x");

    [Fact]
    public async Task An_invalid_directory_template_is_named_with_its_line()
    {
        WriteDirectory("Template, Hostname, Platform, Command\n\nbad.textfsm, .*, cisco_ios, sh[[ow]] ver[[sion]]\n", ("bad.textfsm", "Value A (x)\n\nStart\n  ^x -> Nowhere\n"));
        var e = await Assert.ThrowsAsync<ParsingException>(() => ParseAsync("cisco_ios", "show version", IosVersion));
        Assert.Equal("template bad.textfsm line 4: State 'Nowhere' not found, referenced in state 'Start'", e.Message);
    }

    [Fact]
    public async Task Built_in_templates_are_found_by_platform_and_abbreviated_command()
    {
        var table = await ParseAsync("cisco_ios", "sh ver", IosVersion);
        var row = Assert.Single(table.ToDictionaries());
        Assert.Equal(("15.9(3)M4", "r1", "3 minutes"), (row["VERSION"], row["HOSTNAME"], row["UPTIME"]));
    }

    [Fact]
    public async Task A_stored_template_overrides_the_directory_which_overrides_the_built_in()
    {
        WriteDirectory("# ntc layout\nTemplate, Hostname, Platform, Command\n\nmine.textfsm:extra.textfsm, .*, cisco_ios, sh[[ow]] ver[[sion]]\n",
            ("mine.textfsm", "Value Key HOST (\\S+)\nValue SOURCE (.)\n\nStart\n  ^${HOST} uptime\n  ^Cisco -> Continue\n  ^${SOURCE}\n"),
            ("extra.textfsm", "Value Key HOST (\\S+)\nValue UP (.+)\n\nStart\n  ^${HOST} uptime is ${UP}\n"));
        var fromDirectory = Assert.Single((await ParseAsync("cisco_ios", "show version", IosVersion)).ToDictionaries());
        Assert.Equal(("r1", "3 minutes"), (fromDirectory["HOST"], fromDirectory["UP"]));

        await using (var db = _db.CreateDbContext())
        {
            db.ParsingTemplates.Add(new ParsingTemplate { Name = "stored", Platform = "cisco_ios", Command = "show ver[[sion]]", Text = "Value STORED (\\S+)\n\nStart\n  ^${STORED} uptime\n" });
            await db.SaveChangesAsync();
        }
        Assert.Equal("r1", Assert.Single((await ParseAsync("cisco_ios", "show version", IosVersion)).ToDictionaries())["STORED"]);
        // The stored template's command does not cover "sh ver": the directory's does.
        Assert.Equal("r1", Assert.Single((await ParseAsync("cisco_ios", "sh ver", IosVersion)).ToDictionaries())["HOST"]);
        // Another platform falls through to the built-in index.
        Assert.Equal("r1", Assert.Single((await ParseAsync("cisco_xr", "show version", "Cisco IOS XR Software, Version 7.9.2\nr1 uptime is 1 day\n")).ToDictionaries())["HOSTNAME"]);
    }

    [Fact]
    public void Index_commands_expand_completions_and_match_from_the_start()
    {
        var command = TemplateIndex.CommandRegex("sh[[ow]] ip int[[erface]] br[[ief]]");
        Assert.Matches(command, "show ip interface brief");
        Assert.Matches(command, "sh ip int br");
        Assert.Matches(command, "show ip int brief | include up");
        Assert.DoesNotMatch(command, "do show ip int br");
        Assert.Throws<FormatException>(() => TemplateIndex.Parse("Template, Platform\nx, y\n"));
    }

    private sealed class Monitor(ParsingOptions value) : IOptionsMonitor<ParsingOptions>
    {
        public ParsingOptions CurrentValue => value;

        public ParsingOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ParsingOptions, string?> listener) => null;
    }
}
