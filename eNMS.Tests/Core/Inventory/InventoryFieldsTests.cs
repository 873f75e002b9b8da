using eNMS.Core.Inventory;

namespace eNMS.Tests.Core.Inventory;

public class InventoryFieldsTests
{
    [Theory]
    [InlineData("ip_address", "address")]
    [InlineData("netmiko_driver", "platform")]
    [InlineData("IP_ADDRESS ", "address")]
    [InlineData("os_version", "os_version")]
    public void eNMS_column_names_map_onto_our_fields(string column, string field) =>
        Assert.Equal(field, InventoryFields.Device.Find(column)?.Name);

    [Theory]
    [InlineData("22", 22)]
    [InlineData("22.0", 22)]
    [InlineData(" 830 ", 830)]
    [InlineData("", 22)]
    public void Ports_written_as_spreadsheet_numbers_are_whole_ports(string text, int port)
    {
        var device = new Device { Name = "r1" };
        Assert.Null(InventoryFields.Device.Find("port")!.Set(device, text));
        Assert.Equal(port, device.Port);
    }

    [Theory]
    [InlineData("port", "22.5")]
    [InlineData("port", "70000")]
    [InlineData("port", "ssh")]
    [InlineData("latitude", "38,.,89511")]
    [InlineData("latitude", "91")]
    [InlineData("longitude", "-181")]
    [InlineData("name", "  ")]
    public void Bad_values_give_a_reason_that_quotes_them(string field, string text)
    {
        var problem = InventoryFields.Device.Find(field)!.Set(new Device { Name = "r1" }, text);
        Assert.NotNull(problem);
        if (text.Trim().Length > 0)
        {
            Assert.Contains(text.Trim(), problem, StringComparison.Ordinal);
        }
    }
}
