using eNMS.Core.Inventory.Import;
using eNMS.Core.Security;
using eNMS.Web.Components.Shared;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Inventory;

/// <summary>Upload → preview (nothing written) → commit. The file's bytes stay in this component until it goes away.</summary>
public sealed partial class ImportPage
{
    private byte[]? _bytes;
    private string? _fileName;
    private ImportReport? _report;
    private string? _error;
    private bool _replace;
    private bool _busy;
    /// <summary>What the user typed to confirm a replace's deletions: the number of them.</summary>
    private string _confirmation = "";

    [Inject] private InventoryImporter Importer { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private IOptions<ImportSettings> Settings { get; set; } = default!;

    private int MaxMegabytes => Settings.Value.MaxFileMegabytes;

    private static int Deletions(ImportReport report) => report.Deletions.Total;

    /// <summary>A replace that deletes anything commits only once the number of deletions has been typed.</summary>
    private bool Confirmed => _report is not { Replace: true } report || Deletions(report) == 0
        || _confirmation.Trim() == Deletions(report).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task UploadAsync(IBrowserFile? file)
    {
        if (file is null)
        {
            return;
        }
        (_bytes, _fileName, _report, _error) = (null, null, null, null);
        var extension = Path.GetExtension(file.Name).ToLowerInvariant();
        if (!SpreadsheetReader.SupportedExtensions.Contains(extension))
        {
            _error = $"'{file.Name}' is not a spreadsheet eNMS reads: use .xlsx, .xls or .csv.";
            return;
        }
        if (file.Size > Settings.Value.MaxFileBytes)
        {
            _error = Settings.Value.TooLarge(file.Name, file.Size);
            return;
        }
        _busy = true;
        try
        {
            using var buffer = new MemoryStream((int)file.Size);
            await using (var upload = file.OpenReadStream(Settings.Value.MaxFileBytes))
            {
                await upload.CopyToAsync(buffer);
            }
            (_bytes, _fileName) = (buffer.ToArray(), file.Name);
        }
        catch (IOException e)
        {
            _error = $"'{file.Name}' could not be uploaded: {e.Message}";
        }
        finally
        {
            _busy = false;
        }
        await RunAsync(commit: false);
    }

    private async Task SetReplaceAsync(bool replace)
    {
        _replace = replace;
        await RunAsync(commit: false);
    }

    private async Task CommitAsync()
    {
        if (!await Access.AllowsAsync(Policies.InventoryWrite, Snackbar))
        {
            return;
        }
        if (!Confirmed)
        {
            return;
        }
        await RunAsync(commit: true);
        if (_report is { Committed: true } report)
        {
            Snackbar.Add($"Imported {report.FileName}.", Severity.Success);
        }
    }

    private async Task RunAsync(bool commit)
    {
        if (_bytes is null || _fileName is null)
        {
            return;
        }
        _busy = true;
        _error = null;
        try
        {
            using var stream = new MemoryStream(_bytes, writable: false);
            // A replace commit confirms the preview on screen: its token, recomputed now, must still match.
            var token = commit ? _report?.ReplaceToken : null;
            var options = new ImportOptions(commit, _replace, token, await Access.PoolScopeAsync(), await Access.ActorAsync());
            _report = await Importer.ImportAsync(stream, _fileName, options, CancellationToken.None);
            _confirmation = "";
        }
        catch (Exception e) when (e is InvalidDataException or OutOfScopeException)
        {
            (_report, _error) = (null, e.Message);
        }
        catch (ImportConflictException e)
        {
            _error = e.Message;
            await RunAsync(commit: false); // show what the replace deletes now
            _error = e.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    private static string FormatSize(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes / (1024.0 * 1024.0):0.#} MB",
    };
}
