using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace eNMS.Web.Components.Layout;

/// <summary>Light, dark, or whatever the operating system says (prefers-color-scheme).</summary>
public enum ThemeChoice
{
    System,
    Light,
    Dark,
}

/// <summary>
/// The layout's theme: the user's choice is kept in the browser's local storage under the user's name (so two accounts
/// sharing a browser keep theirs), "system" follows the OS setting live. The choice also lands on <c>&lt;html
/// data-theme&gt;</c>, which app.css and the map and topology canvases read for what MudBlazor's palette does not colour.
/// </summary>
public sealed partial class MainLayout : IDisposable
{
    private const string StorageKeyPrefix = "enms.theme:";

    private readonly MudTheme _theme = new()
    {
        PaletteLight = new PaletteLight { Primary = "#1565c0", Secondary = "#2e7d32", AppbarBackground = "#263238" },
        // Brighter primary and secondary than the light ones: #1565c0 on a dark surface is too dim to read as a link.
        PaletteDark = new PaletteDark { Primary = "#64b5f6", Secondary = "#81c784", AppbarBackground = "#1a1d21" },
    };

    private MudThemeProvider? _themeProvider;
    private bool _drawerOpen = true;
    private bool _dark;
    private bool _systemDark;
    private string? _storageKey;
    private bool _disposed;

    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;

    public ThemeChoice ThemeChoice { get; private set; } = ThemeChoice.System;

    /// <summary>Whether the dark palette is in use now (the choice, or the OS setting for "system").</summary>
    public bool DarkMode => _dark;

    private string ThemeIcon => ThemeChoice switch
    {
        ThemeChoice.Light => Icons.Material.Filled.LightMode,
        ThemeChoice.Dark => Icons.Material.Filled.DarkMode,
        _ => Icons.Material.Filled.BrightnessAuto,
    };

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || _themeProvider is null)
        {
            return;
        }
        _storageKey = StorageKeyPrefix + ((await Access.UserAsync()).Identity?.Name ?? "");
        ThemeChoice = Enum.TryParse<ThemeChoice>(await JS.InvokeAsync<string?>("localStorage.getItem", _storageKey), ignoreCase: true, out var stored)
            ? stored : ThemeChoice.System;
        _systemDark = await _themeProvider.GetSystemDarkModeAsync();
        await _themeProvider.WatchSystemDarkModeAsync(SystemDarkModeChangedAsync);
        await ApplyThemeAsync();
    }

    private async Task ChooseThemeAsync(ThemeChoice choice)
    {
        ThemeChoice = choice;
        if (_storageKey is not null)
        {
            await JS.InvokeVoidAsync("localStorage.setItem", _storageKey, choice.ToString().ToLowerInvariant());
        }
        await ApplyThemeAsync();
    }

    private Task SystemDarkModeChangedAsync(bool dark)
    {
        _systemDark = dark;
        return _disposed ? Task.CompletedTask : InvokeAsync(ApplyThemeAsync);
    }

    private async Task ApplyThemeAsync()
    {
        _dark = ThemeChoice switch
        {
            ThemeChoice.Dark => true,
            ThemeChoice.Light => false,
            _ => _systemDark,
        };
        await JS.InvokeVoidAsync("document.documentElement.setAttribute", "data-theme", _dark ? "dark" : "light");
        StateHasChanged();
    }

    public void Dispose() => _disposed = true;
}
