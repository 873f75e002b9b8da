using eNMS.Core.Inventory.Export;
using eNMS.Core.Inventory.Import;
using eNMS.Core.Security;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Mvc;

namespace eNMS.Web.Api;

/// <summary>Spreadsheet import (preview, then commit) and export.</summary>
internal static class InventoryFileEndpoints
{
    public static RouteGroupBuilder MapInventoryFileEndpoints(this RouteGroupBuilder api)
    {
        var inventory = api.MapGroup("/inventory").WithTags("Import and export").WritesRequire(Policies.InventoryWrite);
        inventory.MapPost("/import", Import)
            .DisableAntiforgery() // API clients post files without a form token; the UI uses its own page.
            .WithSummary("Import .xlsx/.xls/.csv: commit=false previews, commit=true writes every valid row in one transaction; replace=true removes what the file no longer has");
        inventory.MapGet("/export", async (HttpContext http, InventoryExporter exporter, CancellationToken ct) =>
        {
            var buffer = new MemoryStream();
            await exporter.WriteAsync(buffer, http.User.ScopePoolIds(), ct);
            buffer.Position = 0;
            return Results.File(buffer, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "enms-inventory.xlsx");
        }).WithSummary("The whole inventory (only the caller's pools when the caller is limited to some) as .xlsx, in the format import reads");
        return api;
    }

    private static async Task<IResult> Import(IFormFile file, [FromQuery] bool? commit, [FromQuery] bool? replace,
        HttpContext http, InventoryImporter importer, CancellationToken ct)
    {
        try
        {
            await using var stream = file.OpenReadStream();
            var options = new ImportOptions(commit ?? false, replace ?? false, http.User.ScopePoolIds(), http.AuditActor());
            return Results.Ok(await importer.ImportAsync(stream, file.FileName, options, ct));
        }
        catch (InvalidDataException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "The file cannot be imported");
        }
        catch (OutOfScopeException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status403Forbidden, title: "Outside your pools");
        }
    }
}
