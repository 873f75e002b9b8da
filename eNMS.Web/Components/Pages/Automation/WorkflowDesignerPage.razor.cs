using Blazor.Diagrams.Core.Geometry;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Automation.Handlers;
using eNMS.Core.Automation.Workflows;
using eNMS.Core.Data;
using eNMS.Core.Inventory.Editing;
using eNMS.Core.Security;
using eNMS.Web.Components.Diagram;
using eNMS.Web.Components.Shared;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Automation;

/// <summary>
/// The drag-and-drop designer of one workflow: palette, canvas, node panel. Saving sends the version the drawing
/// started from; when someone saved in between, the user is told and keeps the drawing (save it as a copy or reload).
/// A run started here is watched in place through the run notifier.
/// </summary>
public sealed partial class WorkflowDesignerPage
{
    private Service? _workflow;
    private AccessFields _access = new();
    private bool _missing;
    private int _version;
    private WorkflowGraph _graph = new();
    private Dictionary<int, Service> _services = [];
    private List<Service> _palette = [];
    private List<string> _kinds = [];
    private Dictionary<string, string> _errors = [];
    private string? _conflict;
    private bool _dirty;
    private WorkflowCanvas? _canvas;
    private ServiceNodeModel? _selected;
    private NoteNodeModel? _note;
    private Service? _selectedService;
    private PaletteItem? _dragged;
    private RunProgressed? _run;
    private RunFeed? _runSubscription;

    [Parameter] public int Id { get; set; }

    [Inject] private IDbContextFactory<EnmsDbContext> DbFactory { get; set; } = default!;
    [Inject] private ServiceHandlers Handlers { get; set; } = default!;
    [Inject] private ServiceEditor Editor { get; set; } = default!;
    [Inject] private WorkflowTransfer Transfer { get; set; } = default!;
    [Inject] private RunNotifier Notifier { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;

    protected override Task OnParametersSetAsync() => ReloadAsync();

    private async Task ReloadAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        var actor = await Access.ActorAsync();
        // A workflow whose access list leaves the user out is not found for them, as in the API.
        _workflow = (await db.Services.AsNoTracking().Where(s => s.Id == Id && s.Kind == ServiceHandlers.WorkflowKind).ToListAsync()).Readable(actor).FirstOrDefault();
        _missing = _workflow is null;
        var all = await db.Services.AsNoTracking().OrderBy(s => s.Name).ToListAsync();
        // Nodes may name any service (a workflow's run needs no access to its nested ones); the palette offers only the
        // catalogue's that the user may read.
        _services = all.ToDictionary(s => s.Id);
        _palette = all.Where(s => s.Id != Id && !s.IsAdHoc).Readable(actor);
        // Kinds only admins may write (Automation:AdminOnlyKinds) are not offered to others: dropping one would be refused.
        _kinds = Handlers.Kinds.Where(k => k != ServiceHandlers.WorkflowKind && (actor.IsAdmin || !Handlers.IsAdminOnly(k))).ToList();
        (_graph, _version) = (_workflow?.Graph ?? new WorkflowGraph(), _workflow?.Version ?? 0);
        _access = AccessFields.From(_workflow);
        (_conflict, _errors, _dirty, _selected, _selectedService) = (null, [], false, null, null);
    }

    private async Task SaveAsync()
    {
        if (_workflow is null || _canvas is null)
        {
            return;
        }
        if (!await Access.CanAsync(Policies.AutomationWrite))
        {
            _errors = new() { [""] = "Your role may not change workflows." };
            return;
        }
        var input = ServiceInput.From(_workflow);
        (input.Graph, input.Version) = (_canvas.ToGraph(), _version);
        // The owner and lists of the panel: ServiceEditor checks them (ObjectAccess.ChangeAsync) as for the edit page.
        (input.Owner, input.ReadAccess, input.EditAccess, input.RunAccess) = (_access.Owner, [.. _access.ReadAccess], [.. _access.EditAccess], [.. _access.RunAccess]);
        EditResult result;
        try
        {
            result = await Editor.SaveAsync(input, await Access.PoolScopeAsync(), CancellationToken.None);
        }
        catch (OutOfScopeException e)
        {
            _errors = new() { [""] = e.Message };
            return;
        }
        _conflict = result.Errors.GetValueOrDefault("version");
        _errors = result.Errors.Where(e => e.Key != "version").ToDictionary(e => e.Key, e => e.Value);
        if (!result.Succeeded)
        {
            return;
        }
        await using var db = await DbFactory.CreateDbContextAsync();
        _workflow = await db.Services.AsNoTracking().FirstAsync(s => s.Id == Id);
        (_version, _access) = (_workflow.Version, AccessFields.From(_workflow));
        _dirty = false;
        Snackbar.Add($"Saved {_workflow.Name} (version {_version}).", Severity.Success);
    }

    private async Task DuplicateAsync()
    {
        if (!await Access.CanAsync(Policies.AutomationWrite))
        {
            _errors = new() { [""] = "Your role may not create workflows." };
            return;
        }
        EditResult result;
        try
        {
            result = await Transfer.DuplicateAsync(Id, _canvas?.ToGraph(), await Access.PoolScopeAsync(), CancellationToken.None);
        }
        catch (OutOfScopeException e)
        {
            _errors = new() { [""] = e.Message };
            return;
        }
        if (result.Succeeded)
        {
            Snackbar.Add("Saved as a new workflow.", Severity.Success);
            Navigation.NavigateTo($"workflows/{result.Id}/designer");
        }
        else
        {
            _errors = result.Errors.ToDictionary(e => e.Key, e => e.Value);
        }
    }

    private Task DroppedAsync(Point position)
    {
        var item = _dragged;
        _dragged = null;
        return item is null ? Task.CompletedTask : AddAsync(item, position);
    }

    /// <summary>Adds a node for an existing service, or creates a service of a kind with default parameters first.</summary>
    private async Task AddAsync(PaletteItem item, Point? position)
    {
        if (_canvas is null)
        {
            return;
        }
        var service = item.Service;
        if (item.Kind is { } kind)
        {
            service = await CreateServiceAsync(kind);
            if (service is null)
            {
                return;
            }
        }
        await SelectAsync(_canvas.AddService(service!, position ?? _canvas.FreeSpot()));
    }

    private async Task<Service?> CreateServiceAsync(string kind)
    {
        if (!await Access.CanAsync(Policies.AutomationWrite))
        {
            Snackbar.Add("Your role may not create services.", Severity.Error);
            return null;
        }
        // The kind's example: a dropped node is runnable as it is (on the demo network) and shows what to change.
        var parameters = Handlers.Example(kind);
        await using var db = await DbFactory.CreateDbContextAsync();
        var taken = (await db.Services.Select(s => s.Name).ToListAsync()).ToHashSet(StringComparer.Ordinal);
        EditResult result;
        try
        {
            result = await Editor.SaveAsync(new ServiceInput { Name = WorkflowTransfer.FreeName(kind, taken), Kind = kind, Parameters = parameters },
                await Access.PoolScopeAsync(), CancellationToken.None);
        }
        catch (OutOfScopeException e)
        {
            Snackbar.Add(e.Message, Severity.Error);
            return null;
        }
        if (!result.Succeeded)
        {
            Snackbar.Add(string.Join(" ", result.Errors.Values), Severity.Error);
            return null;
        }
        var service = await db.Services.AsNoTracking().FirstAsync(s => s.Id == result.Id);
        _services[service.Id] = service;
        _palette = [.. _palette.Append(service).OrderBy(s => s.Name)];
        return service;
    }

    private async Task SelectAsync(ServiceNodeModel? node)
    {
        _selected = node;
        _selectedService = null;
        if (node is not null)
        {
            await using var db = await DbFactory.CreateDbContextAsync();
            _selectedService = await db.Services.AsNoTracking().FirstOrDefaultAsync(s => s.Id == node.ServiceId);
        }
        StateHasChanged();
    }

    private async Task ServiceSavedAsync(int serviceId)
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        if (await db.Services.AsNoTracking().FirstOrDefaultAsync(s => s.Id == serviceId) is { } service)
        {
            _services[service.Id] = service;
            _palette = [.. _palette.Where(s => s.Id != service.Id).Append(service).OrderBy(s => s.Name)];
            _selectedService = service;
            foreach (var node in _canvas?.Diagram.Nodes.OfType<ServiceNodeModel>().Where(n => n.ServiceId == serviceId) ?? [])
            {
                node.ServiceName = service.Name;
                node.Refresh();
            }
        }
    }

    private void Arrange()
    {
        _canvas?.Arrange();
        _dirty = true;
    }

    private void AddNote()
    {
        _canvas?.AddNote("Note: double-check before running");
        _dirty = true;
    }

    private void SetNoteText(string text)
    {
        if (_note is not null)
        {
            _note.Text = text;
            _note.Refresh();
            _dirty = true;
        }
    }

    /// <summary>Saves unsaved changes, asks for targets, then watches the run on the canvas.</summary>
    private async Task RunAsync()
    {
        if (!await Access.CanAsync(Policies.AutomationRun))
        {
            _errors = new() { [""] = "Your role may not run workflows." };
            return;
        }
        if (_dirty)
        {
            await SaveAsync();
            if (_dirty)
            {
                return;
            }
        }
        var dialog = await Dialogs.ShowAsync<RunDialog>($"Run {_workflow!.Name}",
            new DialogParameters<RunDialog> { { d => d.ServiceId, Id }, { d => d.StayOnPage, true } },
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: int runId })
        {
            await WatchAsync(runId);
        }
    }

    private async Task WatchAsync(int runId)
    {
        _runSubscription?.Dispose();
        _run = new RunProgressed(runId, RunStatus.Pending, 0, 0, 0);
        RunEventScope events;
        await using (var db = await Access.CreateScopedDbContextAsync())
        {
            events = await RunEventScope.ForRunAsync(db, runId, CancellationToken.None);
        }
        _runSubscription = Notifier.Feed(runId, events, b => InvokeAsync(() =>
        {
            _run = b.Events.OfType<RunProgressed>().LastOrDefault() ?? _run;
            StateHasChanged();
        }), RunFeedOptions.Frame with { Wants = e => e is RunProgressed });
        if (_canvas is not null)
        {
            // The run began before this watch did: its first results may already be stored.
            await _canvas.Watch(runId, events, async () =>
            {
                await using var db = await Access.CreateScopedDbContextAsync();
                return await db.RunResults.AsNoTracking().Where(r => r.RunId == runId).OrderBy(r => r.Id).ToListAsync();
            });
        }
    }

    public void Dispose() => _runSubscription?.Dispose();
}
