namespace eNMS.Core.Inventory.Import;

/// <summary>A row that will not be (or was not) written, and exactly why.</summary>
public sealed record ImportProblem(string Sheet, int Row, string Column, string Reason)
{
    public override string ToString() => $"{Sheet} row {Row}{(Column.Length > 0 ? $", column '{Column}'" : "")}: {Reason}";
}

public sealed class ImportCounts
{
    public int Created { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
    public int Deleted { get; set; }
    public int Skipped { get; set; }
}

public sealed record ImportOptions(bool Commit = false, bool Replace = false);

/// <summary>What an import will do (preview) or did (commit).</summary>
public sealed class ImportReport
{
    public required string FileName { get; init; }
    public bool Committed { get; set; }
    public bool Replace { get; init; }
    public ImportCounts Devices { get; } = new();
    public ImportCounts Links { get; } = new();
    public ImportCounts Pools { get; } = new();
    public int CredentialsCreated { get; set; }
    public List<ImportProblem> Problems { get; } = [];
    public List<string> Notes { get; } = [];
}
