using eNMS.Core.Security;
using eNMS.Core.Settings;

namespace eNMS.Web.Api;

/// <summary>Admin-only: the settings an admin may change while the app runs (<see cref="RuntimeSettings"/>).</summary>
internal static class SettingsEndpoints
{
    public static RouteGroupBuilder MapSettingsEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/settings", (RuntimeSettings settings, CancellationToken ct) => settings.ListAsync(ct))
            .WithTags("Settings").WithSummary("Every setting with its value (never a secret's), whether it applies live, and the source that locks it, if any");
        admin.MapPut("/settings", async (SettingsChange change, RuntimeSettings settings, CancellationToken ct) =>
        {
            if (change.Values is not { Count: > 0 } values)
            {
                return Results.Problem("Give the settings to change in 'values' (key: new value, null for the default).", statusCode: StatusCodes.Status400BadRequest);
            }
            var result = await settings.UpdateAsync(AuditActor.Current, values, ct);
            if (!result.Succeeded)
            {
                return Results.ValidationProblem(result.Errors, title: result.Locked ? "Setting locked by another source" : "Invalid setting",
                    statusCode: result.Locked ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest);
            }
            return Results.Ok(new SettingsChanged(result.Changed, await settings.ListAsync(ct)));
        })
            .WithTags("Settings").ProducesValidationProblem()
            .WithSummary("Changes settings all or nothing (null: back to the default); each change is audited and applied to every node within seconds");
        return admin;
    }
}

/// <summary>Setting key → new value (null: back to the default). A secret is written only; send it to set or change it.</summary>
public sealed record SettingsChange(Dictionary<string, string?>? Values);

public sealed record SettingsChanged(int Changed, IReadOnlyList<SettingView> Settings);
