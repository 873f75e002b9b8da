using eNMS.Core.Text;

namespace eNMS.Tests.Core.Automation;

public class LineDiffTests
{
    [Fact]
    public void A_changed_line_shows_as_removed_then_added_with_context()
    {
        var before = "hostname r1\ninterface eth0\n ip address 10.0.0.1/24\n!\nrouter ospf\n";
        var after = "hostname r1\ninterface eth0\n ip address 10.0.0.2/24\n!\nrouter ospf\n";
        Assert.Equal("  hostname r1\n  interface eth0\n-  ip address 10.0.0.1/24\n+  ip address 10.0.0.2/24\n  !\n  router ospf", LineDiff.Unified(before, after));
    }

    [Fact]
    public void Identical_texts_have_no_diff() => Assert.Equal("", LineDiff.Unified("a\nb\n", "a\nb"));

    [Fact]
    public void Large_configurations_with_small_changes_diff_exactly()
    {
        var lines = Enumerable.Range(0, 20_000).Select(i => $"line {i}").ToList();
        var changed = lines.ToList();
        changed[10_000] = "line changed";
        changed.Insert(15_000, "line inserted");
        var diff = LineDiff.Compare(string.Join('\n', lines), string.Join('\n', changed));
        Assert.Equal(["line 10000"], diff.Where(d => d.Kind == DiffKind.Removed).Select(d => d.Text));
        Assert.Equal(["line changed", "line inserted"], diff.Where(d => d.Kind == DiffKind.Added).Select(d => d.Text));
    }

    [Fact]
    public void Completely_different_texts_degrade_to_remove_all_add_all()
    {
        var a = string.Join('\n', Enumerable.Range(0, 5000).Select(i => $"a{i}"));
        var b = string.Join('\n', Enumerable.Range(0, 5000).Select(i => $"b{i}"));
        var diff = LineDiff.Compare(a, b);
        Assert.Equal(5000, diff.Count(d => d.Kind == DiffKind.Removed));
        Assert.Equal(5000, diff.Count(d => d.Kind == DiffKind.Added));
    }
}
