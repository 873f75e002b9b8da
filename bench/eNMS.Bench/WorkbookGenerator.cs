using System.Globalization;
using ClosedXML.Excel;

namespace eNMS.Bench;

/// <summary>An eNMS-format workbook (sheets <c>device</c> and <c>link</c>, first row = property names) of a given
/// size: a ring of devices with chords, so every link joins two devices of the sheet.</summary>
public static class WorkbookGenerator
{
    private static readonly string[] DeviceColumns =
        ["name", "ip_address", "port", "netmiko_driver", "vendor", "model", "operating_system", "os_version", "location", "latitude", "longitude", "description", "rack"];

    private static readonly string[] LinkColumns =
        ["name", "source_name", "destination_name", "source_interface", "destination_interface", "description", "vendor", "subtype"];

    private static readonly (string Platform, string Vendor, string Model, string Os)[] Kinds =
    [
        ("cisco_ios", "Cisco", "ISR4451", "IOS-XE"), ("arista_eos", "Arista", "7280R", "EOS"),
        ("juniper_junos", "Juniper", "MX204", "Junos"), ("cisco_nxos", "Cisco", "N9K-C93180", "NX-OS"),
    ];

    private static readonly string[] Cities = ["Paris", "Berlin", "Madrid", "Rome", "Vienna", "Warsaw", "Prague", "Lisbon", "Dublin", "Oslo"];

    public static void Write(string path, int devices, int links)
    {
        using var workbook = new XLWorkbook();
        var deviceSheet = workbook.AddWorksheet("device");
        Header(deviceSheet, DeviceColumns);
        for (var i = 0; i < devices; i++)
        {
            var (platform, vendor, model, os) = Kinds[i % Kinds.Length];
            var row = deviceSheet.Row(i + 2);
            row.Cell(1).Value = DeviceName(i);
            // Benchmark addresses (RFC 2544, 198.18.0.0/15): the import never dials them.
            row.Cell(2).Value = $"198.18.{i / 250}.{i % 250 + 1}";
            row.Cell(3).Value = 22;
            row.Cell(4).Value = platform;
            row.Cell(5).Value = vendor;
            row.Cell(6).Value = model;
            row.Cell(7).Value = os;
            row.Cell(8).Value = "1." + (i % 9).ToString(CultureInfo.InvariantCulture);
            row.Cell(9).Value = Cities[i % Cities.Length];
            row.Cell(10).Value = 40 + i % 20 + i % 97 / 100.0;
            row.Cell(11).Value = -5 + i % 30 + i % 89 / 100.0;
            row.Cell(12).Value = $"bench device {i}";
            row.Cell(13).Value = $"R{i % 40:D2}";
        }
        var linkSheet = workbook.AddWorksheet("link");
        Header(linkSheet, LinkColumns);
        for (var i = 0; i < links; i++)
        {
            var source = i % devices;
            // Ring for the first lap, then chords further apart on each lap.
            var destination = (source + 1 + i / devices * 7) % devices;
            var row = linkSheet.Row(i + 2);
            row.Cell(1).Value = $"link-{i:D6}";
            row.Cell(2).Value = DeviceName(source);
            row.Cell(3).Value = DeviceName(destination);
            row.Cell(4).Value = $"et-0/0/{i % 48}";
            row.Cell(5).Value = $"et-0/1/{i % 48}";
            row.Cell(6).Value = $"bench link {i}";
            row.Cell(7).Value = "Generic";
            row.Cell(8).Value = "ethernet";
        }
        workbook.SaveAs(path);
        Measure.Report("workbook", ("devices", devices), ("links", links), ("bytes", new FileInfo(path).Length));
    }

    public static string DeviceName(int i) => $"bench-{i:D6}";

    private static void Header(IXLWorksheet sheet, string[] columns)
    {
        for (var c = 0; c < columns.Length; c++)
        {
            sheet.Cell(1, c + 1).Value = columns[c];
        }
    }
}
