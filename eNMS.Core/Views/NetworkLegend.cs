using eNMS.Core.Inventory;

namespace eNMS.Core.Views;

/// <summary>What the map's and the topology's legend lists: the icons their devices show and the link colours in
/// use, each with how many, most used first. Bounded: a colour per link would not make a legend.</summary>
public sealed record NetworkLegend(IReadOnlyList<LegendIcon> Icons, IReadOnlyList<LegendLinkColor> LinkColors)
{
    /// <summary>Colours beyond this many (the least used) are left out of the legend, and so are link types beyond
    /// <see cref="MaxTypesPerColor"/> per colour.</summary>
    public const int MaxLinkColors = 24;

    public const int MaxTypesPerColor = 3;

    /// <param name="icons">Per device, its index in <see cref="DeviceIcons.All"/>.</param>
    /// <param name="colors">Per link, its shown colour ("" for the theme's).</param>
    /// <param name="subtypes">Per link, its type (<see cref="Link.Subtype"/>), which names what a colour means.</param>
    public static NetworkLegend Of(IReadOnlyList<int> icons, IReadOnlyList<string> colors, IReadOnlyList<string> subtypes)
    {
        ArgumentNullException.ThrowIfNull(icons);
        ArgumentNullException.ThrowIfNull(colors);
        ArgumentNullException.ThrowIfNull(subtypes);
        var iconCounts = new int[DeviceIcons.All.Count];
        foreach (var icon in icons)
        {
            iconCounts[icon]++;
        }
        var shown = DeviceIcons.All.Select((icon, i) => new LegendIcon(icon.Key, icon.Label, iconCounts[i]))
            .Where(i => i.Count > 0).OrderByDescending(i => i.Count).ThenBy(i => i.Key, StringComparer.Ordinal).ToList();
        var byColor = Enumerable.Range(0, colors.Count).GroupBy(i => colors[i], StringComparer.Ordinal)
            .Select(g => new LegendLinkColor(g.Key, g.Count(),
                [.. g.Select(i => subtypes[i].Trim()).Where(t => t.Length > 0).GroupBy(t => t, StringComparer.OrdinalIgnoreCase)
                    .OrderByDescending(t => t.Count()).ThenBy(t => t.Key, StringComparer.OrdinalIgnoreCase).Take(MaxTypesPerColor).Select(t => t.Key)]))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Color, StringComparer.Ordinal).Take(MaxLinkColors).ToList();
        return new NetworkLegend(shown, byColor);
    }
}

public sealed record LegendIcon(string Key, string Label, int Count);

/// <summary>A link colour in use ("" for the theme's default) and the link types drawn in it.</summary>
public sealed record LegendLinkColor(string Color, int Count, IReadOnlyList<string> Types);
