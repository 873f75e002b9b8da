using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Core.Terminal;
using eNMS.Drivers;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.JSInterop;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Inventory;

/// <summary>An interactive terminal to a device through the Blazor circuit: xterm.js in the browser, the SSH or Telnet
/// session on the server with the stored credential (or the simulator, for a simulated device).</summary>
public sealed partial class DeviceTerminalPage
{
    private ElementReference _element;
    private IJSObjectReference? _module;
    private DotNetObjectReference<DeviceTerminalPage>? _self;
    private WebTerminal? _terminal;
    private string? _jsId;
    private string? _deviceName;
    private bool _simulated;
    private string? _error;
    private string _status = "connecting";
    private List<BreadcrumbItem> _crumbs = [];

    [Parameter] public int Id { get; set; }

    [Inject] private IDbContextFactory<EnmsDbContext> DbFactory { get; set; } = default!;
    [Inject] private WebTerminals Terminals { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

    private sealed record TerminalHandle(string Id, int Cols, int Rows);

    protected override async Task OnParametersSetAsync()
    {
        await using var db = await Access.CreateScopedDbContextAsync();
        // A device outside the user's pools is shown as missing, and WebTerminals checks the scope again when opening.
        var device = await db.Devices.Where(d => d.Id == Id)
            .Select(d => new { d.Name, d.Simulated }).FirstOrDefaultAsync();
        (_deviceName, _simulated) = (device?.Name, device?.Simulated ?? false);
        _crumbs = [new("Devices", "devices"), new(_deviceName ?? $"#{Id}", $"devices/{Id}"), new("Terminal", null, disabled: true)];
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || !RendererInfo.IsInteractive)
        {
            return;
        }
        if (_deviceName is null)
        {
            await FailAsync("This device does not exist.");
            return;
        }
        // The page's policy is checked at navigation; the session itself is opened only after checking again.
        if (!await Access.CanAsync(Policies.AutomationRun))
        {
            await FailAsync($"Your roles do not allow this ({Policies.AutomationRun}).");
            return;
        }
        _module = await JS.InvokeAsync<IJSObjectReference>("import", "./dist/terminal.js");
        _self = DotNetObjectReference.Create(this);
        var handle = await _module.InvokeAsync<TerminalHandle>("open", _element, _self);
        _jsId = handle.Id;
        try
        {
            var user = await Access.UserAsync();
            _terminal = await Terminals.OpenAsync(Id, await Access.ActorAsync(), user.ScopePoolIds(), handle.Cols, handle.Rows, WriteAsync, CancellationToken.None);
            _status = "connected";
        }
        catch (Exception e) when (e is DeviceException or ArgumentException)
        {
            await FailAsync(e.Message);
            await WriteAsync($"\r\n{e.Message}\r\n");
        }
        StateHasChanged();
    }

    private Task WriteAsync(string text) => InvokeAsync(async () =>
    {
        if (_module is not null && _jsId is not null)
        {
            try
            {
                await _module.InvokeVoidAsync("write", _jsId, text);
            }
            catch (Exception e) when (e is JSDisconnectedException or JSException or ObjectDisposedException)
            {
                // The browser left or the page is going away; DisposeAsync closes the session.
            }
        }
        if (_terminal is { Closed: true } && _status != "closed")
        {
            _status = "closed";
            StateHasChanged();
        }
    });

    private Task FailAsync(string message)
    {
        (_error, _status) = (message, "not connected");
        StateHasChanged();
        return Task.CompletedTask;
    }

    [JSInvokable]
    public async Task Input(string data)
    {
        if (_terminal is { Closed: false } terminal)
        {
            try
            {
                await terminal.SendAsync(data, CancellationToken.None);
            }
            catch (IOException)
            {
                _status = "closed";
                StateHasChanged();
            }
        }
    }

    [JSInvokable]
    public void Resize(int cols, int rows) => _terminal?.Resize(cols, rows);

    public async ValueTask DisposeAsync()
    {
        if (_terminal is not null)
        {
            await _terminal.DisposeAsync();
        }
        if (_module is not null)
        {
            try
            {
                if (_jsId is not null)
                {
                    await _module.InvokeVoidAsync("close", _jsId);
                }
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone with the browser: nothing to clean up there.
            }
        }
        _self?.Dispose();
    }
}
