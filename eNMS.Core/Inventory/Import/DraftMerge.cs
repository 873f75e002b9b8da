namespace eNMS.Core.Inventory.Import;

/// <summary>Copies the columns a row had onto the stored entity and tells whether anything changed.</summary>
internal static class DraftMerge
{
    public static bool Apply<T>(List<InventoryField<T>> fields, T from, T to, List<CustomProperty> fromCustom, List<CustomProperty> toCustom)
    {
        var changed = false;
        foreach (var field in fields)
        {
            var value = field.Get(from);
            if (field.Get(to) != value)
            {
                field.Set(to, value);
                changed = true;
            }
        }
        foreach (var property in fromCustom)
        {
            var current = toCustom.FirstOrDefault(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase));
            if (current is null)
            {
                toCustom.Add(new CustomProperty { Name = property.Name, Kind = property.Kind, Value = property.Value });
                changed = true;
            }
            else if (current.Value != property.Value || current.Kind != property.Kind)
            {
                current.Value = property.Value;
                current.Kind = property.Kind;
                changed = true;
            }
        }
        return changed;
    }
}

internal static class PoolChanges
{
    public static bool Apply(PoolDraft draft, Pool pool, Dictionary<string, Device> devices, Dictionary<string, Link> links)
    {
        var values = draft.Values;
        var changed = pool.Description != values.Description || pool.Mode != values.Mode
            || !pool.Criteria.Select(Key).SequenceEqual(values.Criteria.Select(Key));
        pool.Description = values.Description;
        pool.Mode = values.Mode;
        pool.Criteria = values.Criteria;
        if (values.Mode == PoolMode.Manual)
        {
            var members = draft.DeviceNames.Select(n => devices[n]).Distinct().ToList();
            var memberLinks = draft.LinkNames.Select(n => links.GetValueOrDefault(n)).OfType<Link>().Distinct().ToList();
            changed |= !members.ToHashSet().SetEquals(pool.Devices) || !memberLinks.ToHashSet().SetEquals(pool.Links);
            pool.Devices = members;
            pool.Links = memberLinks;
        }
        return changed;
    }

    private static string Key(PoolCriterion c) => $"{c.Target}|{c.Property}|{c.Operator}|{c.Value}|{c.Invert}";
}
