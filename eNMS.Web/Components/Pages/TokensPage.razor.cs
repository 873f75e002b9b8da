using System.Security.Claims;
using eNMS.Core.Security;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace eNMS.Web.Components.Pages;

public sealed partial class TokensPage
{
    private List<ApiToken> _tokens = [];
    private string _name = "";
    private int _days = 90;
    private string? _created;

    [Inject] private ApiTokens Tokens { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task<string?> UserIdAsync() => (await Access.UserAsync()).FindFirstValue(ClaimTypes.NameIdentifier);

    private async Task LoadAsync()
    {
        _tokens = await UserIdAsync() is { } userId ? await Tokens.ListAsync(userId, CancellationToken.None) : [];
    }

    private async Task CreateAsync()
    {
        if (await UserIdAsync() is not { } userId)
        {
            return;
        }
        var (token, _) = await Tokens.CreateAsync(userId, _name, TimeSpan.FromDays(Math.Clamp(_days, 1, 365)), CancellationToken.None);
        _created = token;
        _name = "";
        await LoadAsync();
    }

    private async Task CopyAsync()
    {
        try
        {
            await JS.InvokeVoidAsync("navigator.clipboard.writeText", _created);
            Snackbar.Add("Token copied to the clipboard.", Severity.Success);
        }
        catch (JSException)
        {
            // Browsers allow the clipboard only on HTTPS or localhost, and only after a user gesture.
            Snackbar.Add("The browser refused the clipboard: select the token and copy it.", Severity.Warning);
        }
    }

    private async Task RevokeAsync(ApiToken token)
    {
        if (await UserIdAsync() is { } userId && await Tokens.RevokeAsync(userId, token.Id, CancellationToken.None))
        {
            Snackbar.Add($"Revoked {token.Name}.", Severity.Success);
        }
        await LoadAsync();
    }
}
