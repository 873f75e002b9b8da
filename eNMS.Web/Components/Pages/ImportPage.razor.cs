using eNMS.Core.Inventory.Import;
using eNMS.Core.Security;
using eNMS.Web.Components.Shared;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;

namespace eNMS.Web.Components.Pages;

/// <summary>Upload → preview (nothing written) → commit. The file's bytes stay in this component until it goes away.</summary>
public sealed partial class ImportPage
{
    public const int MaxMegabytes = 50;
    private const long MaxBytes = MaxMegabytes * 1024L * 1024L;

    private byte[]? _bytes;
    private string? _fileName;
    private ImportReport? _report;
    private string? _error;
    private bool _replace;
    private bool _busy;

    [Inject] private InventoryImporter Importer { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;

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
        if (file.Size > MaxBytes)
        {
            _error = $"'{file.Name}' is {FormatSize(file.Size)}: the limit is {MaxMegabytes} MB. Split the inventory into several files.";
            return;
        }
        _busy = true;
        try
        {
            using var buffer = new MemoryStream((int)file.Size);
            await using (var upload = file.OpenReadStream(MaxBytes))
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
        if (_report is { Replace: true } preview)
        {
            var deletions = preview.Devices.Deleted + preview.Links.Deleted + preview.Pools.Deleted;
            if (deletions > 0 && !await Dialogs.DeleteAsync("Replace the inventory",
                    $"Committing deletes {preview.Devices.Deleted} devices, {preview.Links.Deleted} links and {preview.Pools.Deleted} pools that the file does not contain.",
                    "Delete and import"))
            {
                return;
            }
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
            var options = new ImportOptions(commit, _replace, await Access.PoolScopeAsync(), await Access.ActorAsync());
            _report = await Importer.ImportAsync(stream, _fileName, options, CancellationToken.None);
        }
        catch (Exception e) when (e is InvalidDataException or OutOfScopeException)
        {
            (_report, _error) = (null, e.Message);
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
