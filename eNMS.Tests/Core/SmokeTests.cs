namespace eNMS.Tests.Core;

public class SmokeTests
{
    [Fact]
    public void Capabilities_combine() => Assert.True((eNMS.Drivers.DriverCapabilities.Commands | eNMS.Drivers.DriverCapabilities.Config).HasFlag(eNMS.Drivers.DriverCapabilities.Config));
}
