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

/// <param name="Commit">False previews (nothing written); true writes every valid row in one transaction.</param>
/// <param name="Replace">Also delete what the file's sheets lack.</param>
/// <param name="ReplaceToken">A replace commit quotes the token of the preview it confirms (see
/// <see cref="ImportReport.ReplaceToken"/>); without it, or when the file or the inventory changed since, it is refused.</param>
/// <param name="ScopePoolIds">The pools the importing user is limited to (null: not limited): rows that would touch
/// anything outside them are refused (<see cref="ImportScope"/>).</param>
/// <param name="Actor">Who imports, for the audit log (null: "system").</param>
public sealed record ImportOptions(bool Commit = false, bool Replace = false, string? ReplaceToken = null,
    IReadOnlyList<int>? ScopePoolIds = null, Security.AuditActor? Actor = null);

/// <summary>What a replace deletes, by name. <see cref="Links"/> includes the links that go because one of their
/// devices goes (<see cref="CascadedLinks"/> of them), even when the file lists them.</summary>
public sealed class ImportDeletions
{
    public List<string> Devices { get; } = [];
    public List<string> Links { get; } = [];
    public List<string> Pools { get; } = [];
    public int CascadedLinks { get; set; }

    public int Total => Devices.Count + Links.Count + Pools.Count;
}

/// <summary>A replace commit whose token is missing or no longer matches the file and the inventory.</summary>
public sealed class ImportConflictException(string message) : Exception(message);

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
    /// <summary>Credentials the file names that this inventory lacks: created without their secret ("secret needed").</summary>
    public List<string> CredentialsNeedingSecret { get; } = [];
    /// <summary>The sheets read, by kind (device, link, pool, credential).</summary>
    public List<string> Sheets { get; } = [];
    public ImportDeletions Deletions { get; } = new();
    /// <summary>Hash of the file and of the inventory as this preview saw it; a replace commit must quote it.</summary>
    public string? ReplaceToken { get; set; }
    public List<ImportProblem> Problems { get; } = [];
    public List<string> Notes { get; } = [];
}
