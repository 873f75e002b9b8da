using eNMS.Web.Security;
using MudBlazor;

namespace eNMS.Web.Components.Shared;

public static class AccessChecks
{
    /// <summary>For event handlers: true when the user's roles grant <paramref name="policy"/>; otherwise says so and
    /// returns false (the server refuses even if the button was shown).</summary>
    public static async Task<bool> AllowsAsync(this UserAccess access, string policy, ISnackbar snackbar)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(snackbar);
        if (await access.CanAsync(policy))
        {
            return true;
        }
        snackbar.Add($"Your roles do not allow this ({policy}).", Severity.Error);
        return false;
    }
}
