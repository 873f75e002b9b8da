namespace eNMS.Core.Text;

/// <summary>One row of a side-by-side diff: the left (before) and right (after) line, either of which may be absent.</summary>
public sealed record SideBySideRow(int? LeftNumber, string? Left, int? RightNumber, string? Right, DiffKind Kind);

public static class SideBySideDiff
{
    /// <summary>Rows with line numbers; a run of removed lines followed by added lines is paired up row by row.</summary>
    public static List<SideBySideRow> Rows(string before, string after)
    {
        var lines = LineDiff.Compare(before, after);
        var rows = new List<SideBySideRow>();
        int left = 0, right = 0;
        for (var i = 0; i < lines.Count;)
        {
            if (lines[i].Kind == DiffKind.Same)
            {
                rows.Add(new SideBySideRow(++left, lines[i].Text, ++right, lines[i].Text, DiffKind.Same));
                i++;
                continue;
            }
            var removed = new List<string>();
            var added = new List<string>();
            for (; i < lines.Count && lines[i].Kind != DiffKind.Same; i++)
            {
                (lines[i].Kind == DiffKind.Removed ? removed : added).Add(lines[i].Text);
            }
            for (var j = 0; j < Math.Max(removed.Count, added.Count); j++)
            {
                var l = j < removed.Count ? removed[j] : null;
                var r = j < added.Count ? added[j] : null;
                rows.Add(new SideBySideRow(l is null ? null : ++left, l, r is null ? null : ++right, r, l is null ? DiffKind.Added : r is null ? DiffKind.Removed : DiffKind.Same));
            }
        }
        return rows;
    }
}
