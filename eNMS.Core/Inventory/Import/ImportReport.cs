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

/// <remarks>ScopePoolIds: The pools the importing user is limited to (null: not limited): rows that would touch
/// anything outside them are refused (<see cref="ImportScope"/>).
/// Actor: Who imports, for the audit log (null: "system").</remarks>
public sealed record ImportOptions(bool Commit = false, bool Replace = false, IReadOnlyList<int>? ScopePoolIds = null, Security.AuditActor? Actor = null);

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
