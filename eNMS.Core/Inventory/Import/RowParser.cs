using System.Text.Json;

namespace eNMS.Core.Inventory.Import;

/// <summary>Turns sheet rows into drafts, recording every problem with its sheet, row, column and reason.</summary>
internal static class RowParser
{
    private static readonly HashSet<string> LoginColumns = new(StringComparer.OrdinalIgnoreCase)
    {
        "username", "password", "enable_password", "enable_secret", "secret",
    };

    /// <summary>eNMS bookkeeping columns: meaningless in another database, so not kept as custom properties.</summary>
    private static readonly HashSet<string> IgnoredColumns = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "type", "creator", "last_modified", "source_id", "destination_id", "source", "destination",
    };

    /// <summary>A device row; <paramref name="notes"/> gets what the preview should say about a row imported anyway
    /// (a platform without a driver).</summary>
    public static DeviceDraft? ParseDevice(SheetRow row, List<ImportProblem> problems, List<string> notes)
    {
        var device = new Device { Name = "" };
        var draft = new DeviceDraft(row.Number, device);
        var ok = RequireName(row, problems);
        string? username = null, password = null, enable = null;
        foreach (var (column, cell) in row.Cells)
        {
            if (InventoryFields.Device.Find(column) is { } field)
            {
                ok &= Apply(row, column, field.Set(device, field.IsText ? cell.Shown : cell.Text), problems);
                draft.Fields.Add(field);
            }
            else if (LoginColumns.Contains(column))
            {
                switch (column.ToLowerInvariant())
                {
                    case "username": username = cell.Text; break;
                    case "password": password = cell.Text; break;
                    default: enable = cell.Text; break;
                }
            }
            else if (string.Equals(column, "credential", StringComparison.OrdinalIgnoreCase))
            {
                draft.CredentialName = cell.Shown.Trim();
            }
            else if (column.Equals("gateways", StringComparison.OrdinalIgnoreCase) || column.Equals("gateway", StringComparison.OrdinalIgnoreCase))
            {
                // "gw1,gw2" as eNMS.NET writes it; "['gw1', 'gw2']" as a Python list is read the same.
                draft.GatewayNames = [.. cell.Shown.Split(',').Select(n => n.Trim().Trim('[', ']', ' ').Trim('\'', '"')).Where(n => n.Length > 0)];
            }
            else if (!IgnoredColumns.Contains(column))
            {
                device.CustomProperties.Add(new CustomProperty { Name = column, Kind = cell.Kind, Value = cell.Text });
            }
        }
        ApplyTransport(row, device, draft);
        if (username is not null || password is not null || enable is not null)
        {
            draft.Login = new ImportedLogin(username ?? "", password, enable);
        }
        // A guess names only platforms we have a driver for; a platform the sheet names otherwise (napalm_driver
        // 'iosxr') leaves it empty and is said in the preview: the row is still imported, it did not name the platform
        // in its platform column.
        if (ok && device.Platform.Length == 0)
        {
            var guess = PlatformGuess.From(row.Cells, out var unsupported);
            if (guess is not null)
            {
                device.Platform = guess;
                if (!draft.Fields.Any(f => f.Name == "platform"))
                {
                    draft.Fields.Add(InventoryFields.Device.Find("platform")!);
                }
            }
            else if (unsupported is not null)
            {
                notes.Add($"{row.Sheet} row {row.Number} ('{device.Name}'): {unsupported}; imported without a platform");
            }
        }
        return ok ? draft : null;
    }

    /// <summary>Netmiko (and so eNMS) names a Telnet device by its driver key, <c>cisco_ios_telnet</c>: that says Telnet
    /// when no transport column does. A Telnet device without a port is on 23. A port 23 alone says nothing: SSH can
    /// listen there, so only these columns make a device Telnet.</summary>
    private static void ApplyTransport(SheetRow row, Device device, DeviceDraft draft)
    {
        var transportField = InventoryFields.Device.Find("transport")!;
        var portField = InventoryFields.Device.Find("port")!;
        var telnetPlatform = row.Cells.Any(c => InventoryFields.Device.Find(c.Key)?.Name == "platform"
            && c.Value.Shown.Trim().EndsWith("_telnet", StringComparison.OrdinalIgnoreCase));
        if (!draft.Fields.Contains(transportField) && telnetPlatform)
        {
            device.Transport = DeviceTransports.Telnet;
            draft.Fields.Add(transportField);
        }
        var portGiven = row.Cells.Any(c => InventoryFields.Device.Find(c.Key) == portField && c.Value.Text.Trim().Length > 0);
        if (device.Transport == DeviceTransports.Telnet && !portGiven)
        {
            device.Port = DeviceTransports.DefaultPort(DeviceTransports.Telnet);
            if (!draft.Fields.Contains(portField))
            {
                draft.Fields.Add(portField);
            }
        }
    }

    public static LinkDraft? ParseLink(SheetRow row, List<ImportProblem> problems)
    {
        var link = new Link { Name = "" };
        var ok = RequireName(row, problems);
        var source = Endpoint(row, "source_name", problems);
        var destination = Endpoint(row, "destination_name", problems);
        ok &= source is not null && destination is not null;
        var draft = new LinkDraft(row.Number, link, source ?? "", destination ?? "");
        foreach (var (column, cell) in row.Cells)
        {
            if (InventoryFields.Link.Find(column) is { } field)
            {
                ok &= Apply(row, column, field.Set(link, field.IsText ? cell.Shown : cell.Text), problems);
                draft.Fields.Add(field);
            }
            else if (column is not ("source_name" or "destination_name") && !IgnoredColumns.Contains(column))
            {
                link.CustomProperties.Add(new CustomProperty { Name = column, Kind = cell.Kind, Value = cell.Text });
            }
        }
        return ok ? draft : null;
    }

    public static PoolDraft? ParsePool(SheetRow row, List<ImportProblem> problems)
    {
        var ok = RequireName(row, problems);
        var pool = new Pool { Name = Text(row, "name") };
        pool.Description = Text(row, "description");
        var draft = new PoolDraft(row.Number, pool);
        var mode = Text(row, "mode");
        if (mode.Length > 0 && !Enum.TryParse<PoolMode>(mode, ignoreCase: true, out var parsed))
        {
            ok = Apply(row, "mode", $"'{mode}' is not a pool mode (dynamic or manual)", problems);
        }
        else
        {
            pool.Mode = mode.Length == 0 ? PoolMode.Dynamic : Enum.Parse<PoolMode>(mode, ignoreCase: true);
        }
        var criteria = Text(row, "criteria");
        if (criteria.Length > 0)
        {
            try
            {
                pool.Criteria = JsonSerializer.Deserialize<List<PoolCriterion>>(criteria, ImportJson.Options) ?? [];
                foreach (var problem in pool.Criteria.Select(c => c.Problem()).OfType<string>())
                {
                    ok = Apply(row, "criteria", problem, problems);
                }
            }
            catch (JsonException e)
            {
                ok = Apply(row, "criteria", $"not a JSON list of criteria: {e.Message}", problems);
            }
        }
        draft.DeviceNames.AddRange(Names(row, "devices"));
        draft.LinkNames.AddRange(Names(row, "links"));
        return ok ? draft : null;
    }

    public static CredentialDraft? ParseCredential(SheetRow row, List<ImportProblem> problems)
    {
        var ok = RequireName(row, problems);
        var name = Text(row, "name");
        if (name.Length > InventoryFields.NameLength)
        {
            ok = Apply(row, "name", $"a name has at most {InventoryFields.NameLength} characters", problems);
        }
        var priorityText = Text(row, "priority");
        var priority = 1;
        if (priorityText.Length > 0)
        {
            if (double.TryParse(priorityText, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number)
                && number == Math.Floor(number) && number is >= int.MinValue and <= int.MaxValue)
            {
                priority = (int)number;
            }
            else
            {
                ok = Apply(row, "priority", $"'{priorityText}' is not a whole number", problems);
            }
        }
        // eNMS names this column "role" (read-only / read-write); a sheet without either is read-write.
        var accessText = Text(row, "access") is { Length: > 0 } access ? access : Text(row, "role");
        var readOnly = accessText.Replace("_", "-", StringComparison.Ordinal).Equals("read-only", StringComparison.OrdinalIgnoreCase);
        if (accessText.Length > 0 && !readOnly && !accessText.Replace("_", "-", StringComparison.Ordinal).Equals("read-write", StringComparison.OrdinalIgnoreCase))
        {
            ok = Apply(row, "access", $"'{accessText}' is not read-only or read-write", problems);
        }
        return ok ? new CredentialDraft(row.Number, name, Text(row, "description"), Text(row, "username"), priority,
            readOnly ? CredentialAccess.ReadOnly : CredentialAccess.ReadWrite) : null;
    }

    private static bool RequireName(SheetRow row, List<ImportProblem> problems) =>
        Text(row, "name").Length > 0 || Apply(row, "name", "a name is required", problems);

    private static string? Endpoint(SheetRow row, string column, List<ImportProblem> problems)
    {
        var name = Text(row, column);
        if (name.Length > 0)
        {
            return name;
        }
        Apply(row, column, "a link needs its device name here", problems);
        return null;
    }

    private static string Text(SheetRow row, string column) =>
        row.Cells.TryGetValue(column, out var cell) ? cell.Shown.Trim() : "";

    private static string[] Names(SheetRow row, string column) =>
        Text(row, column).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Records the problem if there is one; returns whether the row is still good.</summary>
    private static bool Apply(SheetRow row, string column, string? problem, List<ImportProblem> problems)
    {
        if (problem is null)
        {
            return true;
        }
        problems.Add(new ImportProblem(row.Sheet, row.Number, column, problem));
        return false;
    }
}
