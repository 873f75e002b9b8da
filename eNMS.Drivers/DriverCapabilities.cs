namespace eNMS.Drivers;

/// <summary>What a platform's driver can do, declared up front instead of failing at call time.</summary>
[Flags]
public enum DriverCapabilities
{
    None = 0,
    Commands = 1,
    Config = 2,
}
