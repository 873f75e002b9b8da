namespace eNMS.Core.Inventory.Import;

/// <summary>Settings of section <c>Import</c>. One upload limit for the import page and <c>POST /api/inventory/import</c>.</summary>
public sealed class ImportSettings
{
    /// <summary>The configuration key, quoted to whoever meets the limit.</summary>
    public const string MaxFileMegabytesSetting = "Import:MaxFileMegabytes";

    /// <summary>Largest spreadsheet accepted, in MiB (a 100,000-device .xlsx is about 10 MB).</summary>
    public int MaxFileMegabytes { get; set; } = 50;

    public long MaxFileBytes => MaxFileMegabytes * 1024L * 1024L;

    public string TooLarge(string fileName, long? bytes) =>
        $"'{fileName}'{(bytes is long b ? $" ({b / (1024.0 * 1024.0):0.#} MB)" : "")} is over the import limit of {MaxFileMegabytes} MB " +
        $"(setting {MaxFileMegabytesSetting}). Split the inventory into several files, or raise the setting.";
}
