using eNMS.Core.Inventory;

namespace eNMS.Core.Discovery;

/// <summary>
/// Unknown neighbours made devices: their fields checked by <see cref="InventoryFields"/> (the rule the device form, the
/// API and the import ask), their chassis id kept as the <c>chassis_id</c> property so the next discovery matches them.
/// </summary>
internal static class DiscoveredDevices
{
    /// <summary>A pool-limited user's new device would belong to none of their pools (adding it to one is a pool change,
    /// which only unlimited users make), so they could neither see nor link it: refused rather than created out of reach.</summary>
    public const string ScopeRefusal = "Discovery adds devices only for users who are not limited to pools (a new device belongs to none of your pools).";

    /// <exception cref="DiscoveryRequestException">The name is too long or holds control characters.</exception>
    public static void CheckInterface(string? name)
    {
        if ((name ?? "").Length > InventoryFields.ShortTextLength || InventoryNames.ControlCharacter(name ?? "") is not null)
        {
            throw new DiscoveryRequestException($"An interface name has at most {InventoryFields.ShortTextLength} characters and no control characters.");
        }
    }

    /// <summary>The device's fields in their stored form (trimmed, canonical platform).</summary>
    /// <exception cref="DiscoveryRequestException">A field refused, with the same reason the device form gives.</exception>
    public static Device Draft(NewDevice wanted)
    {
        var values = new Device { Name = wanted.Name ?? "", Address = wanted.Address ?? "", Platform = wanted.Platform ?? "" };
        var problems = InventoryFields.Device.Check(values);
        if (problems.Count > 0)
        {
            throw new DiscoveryRequestException($"New device '{Shorten(values.Name)}': {string.Join(" ", problems.Values)}");
        }
        if ((wanted.ChassisId ?? "").Length > InventoryFields.ShortTextLength || InventoryNames.ControlCharacter(wanted.ChassisId ?? "") is not null)
        {
            throw new DiscoveryRequestException($"New device '{Shorten(values.Name)}': a chassis id has at most {InventoryFields.ShortTextLength} characters and no control characters.");
        }
        var draft = new Device { Name = "" };
        InventoryFields.Device.CopyAll(values, draft);
        return draft;
    }

    /// <summary>The device to add. A neighbour of a simulated device is part of the simulated network (the demo): it is
    /// simulated too, so that reaching it never dials the documentation addresses.</summary>
    public static Device Create(Device draft, NewDevice wanted, Device seenFrom)
    {
        var device = new Device { Name = "" };
        InventoryFields.Device.CopyAll(draft, device);
        device.Simulated = seenFrom.Simulated;
        device.Icon = device.Platform == "linux" ? "server" : "router";
        device.Description = $"Discovered from {seenFrom.Name} {wanted.LocalInterface}";
        if ((wanted.ChassisId ?? "").Trim() is { Length: > 0 } chassis)
        {
            device.CustomProperties = [new CustomProperty { Name = "chassis_id", Value = chassis }];
        }
        return device;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
