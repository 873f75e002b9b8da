using System.Text;

namespace eNMS.Core.Text;

public enum DiffKind
{
    Same,
    Added,
    Removed,
}

public readonly record struct DiffLine(DiffKind Kind, string Text);

/// <summary>Line diff (Myers' O(ND) algorithm): fast on configurations of thousands of lines that differ a little.
/// Past <see cref="MaxEdits"/> differences it gives up on finesse (all removed, all added) to bound memory.</summary>
public static class LineDiff
{
    public const int MaxEdits = 3000;

    public static List<DiffLine> Compare(string before, string after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var a = Split(before);
        var b = Split(after);
        var trace = new List<int[]>();
        int n = a.Length, m = b.Length, max = n + m;
        var v = new int[2 * max + 2];
        for (var d = 0; d <= max; d++)
        {
            if (d > MaxEdits)
            {
                return [.. a.Select(l => new DiffLine(DiffKind.Removed, l)), .. b.Select(l => new DiffLine(DiffKind.Added, l))];
            }
            // Only diagonals -d..d can be read at depth d: keep that window, not the whole array.
            trace.Add(v[(max - d)..(max + d + 1)]);
            for (var k = -d; k <= d; k += 2)
            {
                var x = k == -d || (k != d && v[max + k - 1] < v[max + k + 1]) ? v[max + k + 1] : v[max + k - 1] + 1;
                var y = x - k;
                while (x < n && y < m && a[x] == b[y])
                {
                    (x, y) = (x + 1, y + 1);
                }
                v[max + k] = x;
                if (x >= n && y >= m)
                {
                    return Backtrack(trace, a, b, max, d);
                }
            }
        }
        return [];
    }

    /// <summary>A unified diff ("+ line" / "- line", with context lines around each change).</summary>
    public static string Unified(string before, string after, int context = 3)
    {
        var lines = Compare(before, after);
        var keep = new bool[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Kind != DiffKind.Same)
            {
                for (var j = Math.Max(0, i - context); j <= Math.Min(lines.Count - 1, i + context); j++)
                {
                    keep[j] = true;
                }
            }
        }
        var text = new StringBuilder();
        for (var i = 0; i < lines.Count; i++)
        {
            if (!keep[i])
            {
                if (i > 0 && keep[i - 1])
                {
                    text.Append("...\n");
                }
                continue;
            }
            text.Append(lines[i].Kind switch { DiffKind.Added => "+ ", DiffKind.Removed => "- ", _ => "  " }).Append(lines[i].Text).Append('\n');
        }
        return text.ToString().TrimEnd('\n');
    }

    private static string[] Split(string text) =>
        text.Length == 0 ? [] : text.Replace("\r", "", StringComparison.Ordinal).TrimEnd('\n').Split('\n');

    private static List<DiffLine> Backtrack(List<int[]> trace, string[] a, string[] b, int max, int depth)
    {
        var result = new List<DiffLine>();
        int x = a.Length, y = b.Length;
        for (var d = depth; d > 0; d--)
        {
            var window = trace[d];
            int At(int diagonal) => window[diagonal + d];
            var k = x - y;
            var previousK = k == -d || (k != d && At(k - 1) < At(k + 1)) ? k + 1 : k - 1;
            var previousX = At(previousK);
            var previousY = previousX - previousK;
            while (x > previousX && y > previousY)
            {
                result.Add(new DiffLine(DiffKind.Same, a[--x]));
                y--;
            }
            result.Add(x == previousX ? new DiffLine(DiffKind.Added, b[--y]) : new DiffLine(DiffKind.Removed, a[--x]));
        }
        while (x > 0 && y > 0)
        {
            result.Add(new DiffLine(DiffKind.Same, a[--x]));
            y--;
        }
        result.Reverse();
        return result;
    }
}
