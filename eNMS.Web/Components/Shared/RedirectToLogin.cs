using Microsoft.AspNetCore.Components;

namespace eNMS.Web.Components.Shared;

/// <summary>Sends a signed-out user to the login page (a full load: it is a static page), back here afterwards.</summary>
public sealed class RedirectToLogin : ComponentBase
{
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    protected override void OnInitialized()
    {
        var back = "/" + Navigation.ToBaseRelativePath(Navigation.Uri);
        Navigation.NavigateTo($"login?returnUrl={Uri.EscapeDataString(back)}", forceLoad: true);
    }
}
