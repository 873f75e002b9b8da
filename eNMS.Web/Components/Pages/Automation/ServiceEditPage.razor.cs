using System.Text.Json.Nodes;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Handlers;
using eNMS.Core.Automation.Workflows;
using eNMS.Core.Data;
using eNMS.Core.Inventory.Editing;
using eNMS.Core.Security;
using eNMS.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Automation;

/// <summary>Creates or edits a service of any kind (parameters from the kind's class) or a workflow (its graph as a
/// simple form; the drag-and-drop designer is its own page).</summary>
public sealed partial class ServiceEditPage
{
    private ServiceInput _input = new();
    private JsonObject _parameters = [];
    private Dictionary<string, string> _errors = [];
    private List<string> _problems = [];
    private List<Service> _otherServices = [];
    private string _inputsJson = "[]";
    /// <summary>The credentials this user may name (and the one the service names, whoever chose it).</summary>
    private List<(int Id, string Name)> _credentials = [];
    /// <summary>Why this user may only look at the service (its edit list leaves them out), or null.</summary>
    private string? _readOnly;
    private AccessFields _access = new();
    private Service? _stored;

    [Parameter] public int Id { get; set; }
    [SupplyParameterFromQuery] public string? Kind { get; set; }

    [Inject] private IDbContextFactory<EnmsDbContext> DbFactory { get; set; } = default!;
    [Inject] private ServiceHandlers Handlers { get; set; } = default!;
    [Inject] private ServiceEditor Editor { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private eNMS.Web.Security.UserAccess Access { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        var actor = await Access.ActorAsync();
        if (Id != 0 && (await db.Services.AsNoTracking().Where(s => s.Id == Id).ToListAsync()).Readable(actor).FirstOrDefault() is { } service)
        {
            _input = ServiceInput.From(service);
            await using (var scoped = await Access.CreateScopedDbContextAsync())
            {
                await ServiceInput.HideOutsideTargetsAsync(scoped, [_input], CancellationToken.None);
            }
            _problems = await Editor.ProblemsAsync(Id, CancellationToken.None);
            _readOnly = eNMS.Core.Security.ObjectAccess.Refusal(actor, service, "This service", eNMS.Core.Security.AccessRight.Edit);
            (_stored, _access) = (service, AccessFields.From(service));
        }
        else
        {
            (_stored, _access) = (null, AccessFields.From(null, actor.User));
            var kind = Kind ?? "cli_commands";
            _input = new ServiceInput { Kind = kind, Parameters = Handlers.Example(kind) };
        }
        _input.Graph ??= _input.Kind == ServiceHandlers.WorkflowKind ? new WorkflowGraph() : null;
        _parameters = _input.Parameters ?? [];
        _inputsJson = System.Text.Json.JsonSerializer.Serialize(_input.Inputs, ServiceJson.Options);
        _credentials = [.. (await db.Credentials.AsNoTracking().OrderBy(c => c.Name).Take(1000).ToListAsync())
            .Where(c => c.MayBeUsedBy(actor) || c.Id == _input.CredentialId).Select(c => (c.Id, c.Name))];
        _otherServices = (await db.Services.AsNoTracking().Catalogue().Where(s => s.Id != Id).OrderBy(s => s.Name).ToListAsync()).Readable(actor);
    }

    private async Task SaveAsync()
    {
        if (!await Access.CanAsync(eNMS.Core.Security.Policies.AutomationWrite))
        {
            _errors = new() { [""] = "Your role may not change services." };
            return;
        }
        _input.Parameters = _parameters;
        (_input.Owner, _input.ReadAccess, _input.EditAccess, _input.RunAccess) = (_access.OwnerChange, _access.ReadAccess, _access.EditAccess, _access.RunAccess);
        try
        {
            _input.Inputs = System.Text.Json.JsonSerializer.Deserialize<List<InputField>>(string.IsNullOrWhiteSpace(_inputsJson) ? "[]" : _inputsJson, ServiceJson.Options) ?? [];
        }
        catch (System.Text.Json.JsonException e)
        {
            _errors = new() { ["inputs"] = $"The inputs are not a JSON list of inputs: {e.Message}" };
            return;
        }
        EditResult result;
        try
        {
            result = await Editor.SaveAsync(_input, await Access.PoolScopeAsync(), CancellationToken.None);
        }
        catch (eNMS.Core.Security.OutOfScopeException e)
        {
            _errors = new() { [""] = e.Message };
            return;
        }
        _errors = result.Errors.ToDictionary(e => e.Key, e => e.Value);
        if (!result.Succeeded)
        {
            return;
        }
        Snackbar.Add($"Saved {_input.Name}.", Severity.Success);
        if (Id == 0)
        {
            Navigation.NavigateTo($"services/{result.Id}/edit");
            return;
        }
        await OnParametersSetAsync();
    }

    private Task<IDialogReference> RunAsync() => Dialogs.ShowAsync<RunDialog>($"Run {_input.Name}",
        new DialogParameters<RunDialog> { { d => d.ServiceId, Id } }, new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
}
