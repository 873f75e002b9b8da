using System.Globalization;
using System.Text.Json;
using ClosedXML.Excel;
using eNMS.Core.Data;
using eNMS.Core.Inventory.Import;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Inventory.Export;

/// <summary>
/// Writes devices, links and pools to an .xlsx in the same format the importer reads (eNMS's sheet and column
/// names), so export then import gives an identical inventory. Secrets are never exported: a device names its
/// credential, and the credential sheet carries each credential's non-secret fields.
/// </summary>
public sealed class InventoryExporter(IDbContextFactory<EnmsDbContext> dbFactory)
{
    /// <remarks>scopePoolIds: The pools the exporting user is limited to (null: everything): the export holds
    /// only what that user sees.</remarks>
    public async Task WriteAsync(Stream output, IReadOnlyList<int>? scopePoolIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        await using var db = await dbFactory.CreateScopedAsync(scopePoolIds, ct);
        var devices = await db.Devices.AsNoTracking().Include(d => d.Credential).Include(d => d.Gateways).ThenInclude(g => g.Gateway)
            .OrderBy(d => d.Name).ToListAsync(ct);
        var links = await db.Links.AsNoTracking().Include(l => l.Source).Include(l => l.Destination).OrderBy(l => l.Name).ToListAsync(ct);
        var credentials = await db.Credentials.AsNoTracking().OrderBy(c => c.Name).ToListAsync(ct);
        var pools = await db.Pools.AsNoTracking().Include(p => p.Devices).Include(p => p.Links).OrderBy(p => p.Name).ToListAsync(ct);

        using var workbook = new XLWorkbook();
        WriteSheet(workbook.Worksheets.Add("device"), devices,
            InventoryFields.Device.All.Select(f => Column(f.Name, (Device d) => f.Get(d)))
                .Append(Column("credential", (Device d) => d.Credential?.Name ?? ""))
                .Append(Column("gateways", (Device d) => string.Join(",", d.Gateways.OrderBy(g => g.Priority).Select(g => g.Gateway?.Name).OfType<string>()))),
            d => d.CustomProperties);
        WriteSheet(workbook.Worksheets.Add("link"), links,
            new[]
            {
                Column("name", (Link l) => l.Name),
                Column("source_name", (Link l) => l.Source!.Name),
                Column("destination_name", (Link l) => l.Destination!.Name),
            }.Concat(InventoryFields.Link.All.Where(f => f.Name != "name").Select(f => Column(f.Name, (Link l) => f.Get(l)))),
            l => l.CustomProperties);
        WriteSheet(workbook.Worksheets.Add("pool"), pools,
            [
                Column("name", (Pool p) => p.Name),
                Column("description", (Pool p) => p.Description),
                Column("mode", (Pool p) => p.Mode.ToString().ToLowerInvariant()),
                Column("criteria", (Pool p) => p.Criteria.Count == 0 ? "" : JsonSerializer.Serialize(p.Criteria, ImportJson.Options)),
                Column("devices", (Pool p) => p.Mode == PoolMode.Manual ? string.Join(",", p.Devices.Select(d => d.Name).Order()) : ""),
                Column("links", (Pool p) => p.Mode == PoolMode.Manual ? string.Join(",", p.Links.Select(l => l.Name).Order()) : ""),
            ],
            _ => []);
        // Name and non-secret fields only: an import elsewhere creates missing ones as "secret needed".
        WriteSheet(workbook.Worksheets.Add("credential"), credentials,
            [
                Column("name", (Credential c) => c.Name),
                Column("description", (Credential c) => c.Description),
                Column("username", (Credential c) => c.Username),
                Column("priority", (Credential c) => c.Priority.ToString(CultureInfo.InvariantCulture)),
                Column("access", (Credential c) => c.Access == CredentialAccess.ReadOnly ? "read-only" : "read-write"),
            ],
            _ => []);
        workbook.SaveAs(output);
    }

    private static (string Name, Func<T, string> Get) Column<T>(string name, Func<T, string> get) => (name, get);

    private static void WriteSheet<T>(IXLWorksheet sheet, List<T> rows, IEnumerable<(string Name, Func<T, string> Get)> columns,
        Func<T, List<CustomProperty>> custom)
    {
        var fixedColumns = columns.ToList();
        var customNames = rows.SelectMany(r => custom(r).Select(p => p.Name)).Distinct(StringComparer.OrdinalIgnoreCase).Order().ToList();
        var c = 1;
        foreach (var name in fixedColumns.Select(x => x.Name).Concat(customNames))
        {
            sheet.Cell(1, c++).SetValue(name);
        }
        var r = 2;
        foreach (var row in rows)
        {
            c = 1;
            foreach (var column in fixedColumns)
            {
                SetText(sheet.Cell(r, c++), column.Get(row));
            }
            var properties = custom(row);
            foreach (var name in customNames)
            {
                var property = properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
                if (property is not null)
                {
                    SetTyped(sheet.Cell(r, c), property);
                }
                c++;
            }
            r++;
        }
    }

    private static void SetText(IXLCell cell, string value)
    {
        if (value.Length == 0)
        {
            return;
        }
        // Stored as text so that "007" or "1.10" come back exactly as they were.
        cell.DataType = XLDataType.Text;
        cell.SetValue(value);
        cell.DataType = XLDataType.Text;
    }

    private static void SetTyped(IXLCell cell, CustomProperty property)
    {
        switch (property.Kind)
        {
            case PropertyKind.Number when double.TryParse(property.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number):
                cell.SetValue(number);
                break;
            case PropertyKind.Boolean when bool.TryParse(property.Value, out var flag):
                cell.SetValue(flag);
                break;
            default:
                SetText(cell, property.Value);
                break;
        }
    }
}
