using eNMS.Drivers;
using eNMS.Drivers.Platforms.Profiles;

namespace eNMS.Tests.Drivers;

/// <summary>README's platforms × operations table is the one the profiles make: a profile that changes without README
/// (or the other way round) fails here. To rewrite README's table from the profiles:
/// <c>ENMS_WRITE_PLATFORM_TABLE=1 dotnet test eNMS.Tests --filter FullyQualifiedName~PlatformTableTests</c>.</summary>
public sealed class PlatformTableTests
{
    private static string ReadmePath()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "eNMS.sln")))
        {
            dir = dir.Parent;
        }
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("eNMS.sln not found"), "README.md");
    }

    private static (string Before, string Table, string After) Split(string readme)
    {
        int begin = readme.IndexOf(PlatformTable.Begin, StringComparison.Ordinal);
        int end = readme.IndexOf(PlatformTable.End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"README.md has no '{PlatformTable.Begin}' ... '{PlatformTable.End}' block");
        int start = begin + PlatformTable.Begin.Length + 1;
        return (readme[..start], readme[start..end], readme[end..]);
    }

    [Fact]
    public async Task The_readme_table_is_the_one_the_profiles_make()
    {
        var path = ReadmePath();
        var readme = (await File.ReadAllTextAsync(path)).Replace("\r\n", "\n", StringComparison.Ordinal);
        var (before, table, after) = Split(readme);
        if (Environment.GetEnvironmentVariable("ENMS_WRITE_PLATFORM_TABLE") == "1")
        {
            await File.WriteAllTextAsync(path, before + PlatformTable.Markdown() + after);
            table = Split(await File.ReadAllTextAsync(path)).Table;
        }

        Assert.Equal(PlatformTable.Markdown(), table);
    }

    [Fact]
    public void Every_platform_has_one_row_and_its_cells_follow_its_profile()
    {
        var rows = PlatformTable.Markdown().TrimEnd('\n').Split('\n')[2..];
        Assert.Equal(PlatformProfiles.All.Select(p => $"| `{p.Key}` |").Order(StringComparer.Ordinal),
            rows.Select(r => r[..(r.IndexOf(" |", 2, StringComparison.Ordinal) + 2)]));

        var xr = Row(PlatformTable.Markdown(), "cisco_xr");
        Assert.Equal(["`cisco_xr`", "`iosxr`, `ios-xr`; NAPALM `iosxr`", "yes", "candidate, then commit", "yes (the device's commit)", "yes",
            "yes", "`show running-config`", "not needed: a commit is persistent", "SFTP, SCP; checksum —", "yes (`cisco_xr_telnet`)"], xr);
        Assert.Equal("`write memory`", Row(PlatformTable.Markdown(), "cisco_ios")[8]);
        Assert.Equal("`copy running-config startup-config`", Row(PlatformTable.Markdown(), "cisco_nxos")[8]);
        Assert.Equal("SFTP, SCP; checksum `sha256sum FILE`", Row(PlatformTable.Markdown(), "linux")[9]);

        // A profile that changes changes its row (and so fails the README test until README follows).
        var changed = PlatformProfiles.All.Select(p => p.Key == "cisco_xr"
            ? p with { Capabilities = p.Capabilities & ~DriverCapabilities.CommitConfirm, Save = new("write memory", new(".")) } : p);
        var edited = Row(PlatformTable.Markdown(changed), "cisco_xr");
        Assert.Equal(("—", "`write memory`"), (edited[6], edited[8]));
        Assert.NotEqual(PlatformTable.Markdown(), PlatformTable.Markdown(changed));
    }

    private static string[] Row(string table, string key) =>
        [.. table.Split('\n').Single(l => l.StartsWith($"| `{key}` |", StringComparison.Ordinal))
            .Trim('|', ' ').Split(" | ")];
}
