namespace eNMS.Core.Inventory.Editing;

/// <summary>Field rules shared by forms and the API; keys are the camelCase field names the API returns.</summary>
internal static class InventoryValidation
{
    /// <summary>Every built-in field is checked by <see cref="InventoryFields"/>, as the import checks it.</summary>
    public static Dictionary<string, string> Check(DeviceInput d)
    {
        var errors = InventoryFields.Device.Check(d.Values());
        CustomProperties(d.CustomProperties, errors);
        return errors;
    }

    public static Dictionary<string, string> Check(LinkInput l)
    {
        // A link may start and end on the same device (a loopback cable): eNMS inventories have them.
        var errors = InventoryFields.Link.Check(l.Values());
        CustomProperties(l.CustomProperties, errors);
        return errors;
    }

    public static Dictionary<string, string> Check(PoolInput p)
    {
        var errors = Name(p.Name);
        foreach (var (criterion, i) in p.Criteria.Select((c, i) => (c, i)))
        {
            if (criterion.Problem() is { } problem)
            {
                errors[$"criteria[{i}]"] = problem;
            }
        }
        return errors;
    }

    public static Dictionary<string, string> Check(CredentialInput c)
    {
        var errors = Name(c.Name);
        if (string.IsNullOrWhiteSpace(c.Username))
        {
            errors["username"] = "A username is required.";
        }
        if (!Enum.IsDefined(c.Access))
        {
            errors["access"] = "Access is ReadWrite or ReadOnly.";
        }
        return errors;
    }

    private static Dictionary<string, string> Name(string name)
    {
        var errors = new Dictionary<string, string>();
        if (InventoryNames.Problem(name) is { } problem)
        {
            errors["name"] = problem;
        }
        return errors;
    }

    private static void CustomProperties(List<CustomProperty> properties, Dictionary<string, string> errors)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in properties)
        {
            if (string.IsNullOrWhiteSpace(property.Name))
            {
                errors["customProperties"] = "Every custom property needs a name.";
            }
            else if (!seen.Add(property.Name.Trim()))
            {
                errors["customProperties"] = $"The custom property '{property.Name}' appears twice.";
            }
            else if (property.Kind == PropertyKind.Number && !double.TryParse(property.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                errors["customProperties"] = $"The custom property '{property.Name}' is a number, but '{property.Value}' is not.";
            }
        }
    }
}
