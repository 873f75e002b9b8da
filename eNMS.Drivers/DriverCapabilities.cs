namespace eNMS.Drivers;

/// <summary>What a platform's driver can do, declared up front instead of failing at call time.</summary>
[Flags]
public enum DriverCapabilities
{
    None = 0,

    /// <summary>Show/exec commands with their output.</summary>
    Commands = 1,

    /// <summary>Configuration lines pushed in config mode, applied at once.</summary>
    Config = 2,

    /// <summary>A candidate can be loaded as a merge, then committed or discarded.</summary>
    ConfigMerge = 4,

    /// <summary>A candidate can replace the whole running configuration.</summary>
    ConfigReplace = 8,

    /// <summary>The difference a loaded candidate would apply can be shown before committing.</summary>
    Diff = 16,

    /// <summary>A commit can revert by itself unless confirmed within a time.</summary>
    CommitConfirm = 32,

    /// <summary>The configuration before the last commit can be restored.</summary>
    Rollback = 64,
}
