using eNMS.Drivers;

namespace eNMS.Tests.TestSupport;

/// <summary>A lab target as the inventory stores it (name, address, platform, login), to create devices from.</summary>
public sealed record DeviceTargetLike(string Name, string Host, string Platform, string Username, string? Password, string? EnableSecret)
{
    public static DeviceTargetLike From(DeviceTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return new(target.Name, target.Host, target.Platform, target.Credential.Username, target.Credential.Password, target.Credential.EnableSecret);
    }
}
