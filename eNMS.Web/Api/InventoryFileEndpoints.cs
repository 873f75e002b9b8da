using eNMS.Core.Inventory.Export;
using eNMS.Core.Inventory.Import;
using eNMS.Core.Security;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace eNMS.Web.Api;

/// <summary>Spreadsheet import (preview, then commit) and export.</summary>
internal static class InventoryFileEndpoints
{
    /// <summary>Room for the multipart framing around the file itself.</summary>
    private const long FormOverheadBytes = 1024 * 1024;

    public static RouteGroupBuilder MapInventoryFileEndpoints(this RouteGroupBuilder api)
    {
        var limit = ((IEndpointRouteBuilder)api).ServiceProvider.GetRequiredService<IOptions<ImportSettings>>().Value;
        var inventory = api.MapGroup("/inventory").WithTags("Import and export").WritesRequire(Policies.InventoryWrite);
        inventory.MapPost("/import", ImportAsync)
            .DisableAntiforgery() // API clients post files without a form token; the UI uses its own page.
            .Accepts<IFormFile>("multipart/form-data")
            // The server's default body limit (~30 MB) would answer a bare 413 before this handler could name the setting.
            .WithMetadata(new RequestSizeLimitAttribute(limit.MaxFileBytes + FormOverheadBytes))
            .WithSummary("Import .xlsx/.xls/.csv (form field 'file'): commit=false previews; commit=true writes every valid row in one transaction; "
                + "replace=true also deletes what the file lacks, and its commit must quote the preview's replaceToken as token=…");
        inventory.MapGet("/export", ExportAsync).WithSummary("The whole inventory (only the caller's pools when the caller is limited to some) as .xlsx, in the format import reads (credentials by name, never their secrets)");
        return api;
    }

    private static async Task<FileStreamHttpResult> ExportAsync(HttpContext http, InventoryExporter exporter, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        await exporter.WriteAsync(buffer, http.User.ScopePoolIds(), ct);
        buffer.Position = 0;
        return TypedResults.File(buffer, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "enms-inventory.xlsx");
    }

    private static async Task<Results<Ok<ImportReport>, ProblemHttpResult>> ImportAsync(HttpRequest request, [FromQuery] bool? commit, [FromQuery] bool? replace,
        [FromQuery] string? token, HttpContext http, InventoryImporter importer, IOptions<ImportSettings> settings, CancellationToken ct)
    {
        var limit = settings.Value;
        if (request.ContentLength > limit.MaxFileBytes + FormOverheadBytes)
        {
            return TooLarge(limit.TooLarge("the upload", request.ContentLength));
        }
        IFormFile? file;
        try
        {
            file = (await request.ReadFormAsync(ct)).Files.GetFile("file");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(limit.TooLarge("the upload", null));
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or IOException)
        {
            return TypedResults.Problem($"Send the spreadsheet as multipart/form-data in a field named 'file' ({e.Message})",
                statusCode: StatusCodes.Status400BadRequest, title: "No file to import");
        }
        if (file is null)
        {
            return TypedResults.Problem("Send the spreadsheet as multipart/form-data in a field named 'file'.",
                statusCode: StatusCodes.Status400BadRequest, title: "No file to import");
        }
        if (file.Length > limit.MaxFileBytes)
        {
            return TooLarge(limit.TooLarge(file.FileName, file.Length));
        }
        try
        {
            await using var stream = file.OpenReadStream();
            var options = new ImportOptions(commit ?? false, replace ?? false, token, http.User.ScopePoolIds(), http.AuditActor());
            return TypedResults.Ok(await importer.ImportAsync(stream, file.FileName, options, ct));
        }
        catch (InvalidDataException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "The file cannot be imported");
        }
        catch (ImportConflictException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "The replace was not confirmed");
        }
        catch (OutOfScopeException e)
        {
            return ApiResults.OutOfScope(e);
        }
    }

    private static ProblemHttpResult TooLarge(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "The file is too large");
}
