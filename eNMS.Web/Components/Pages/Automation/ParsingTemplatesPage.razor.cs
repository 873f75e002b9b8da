using System.Text.Json;
using eNMS.Core.Data;
using eNMS.Core.Parsing;
using eNMS.Core.Security;
using eNMS.Web.Components.Shared;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Automation;

/// <summary>Stored TextFSM templates: list, edit (automation.write) and a dry run on pasted output (anyone who may
/// read). The built-in templates can be copied into a stored one, which then takes precedence.</summary>
public sealed partial class ParsingTemplatesPage
{
    private List<ParsingTemplate> _stored = [];
    private ParsingTemplate _edit = NewTemplate();
    private string _sample = "";
    private string _problem = "";
    private TextFsmTable? _table;
    private bool _canWrite;

    [Inject] private IDbContextFactory<EnmsDbContext> DbFactory { get; set; } = default!;
    [Inject] private ParsingTemplates Store { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private static ParsingTemplate NewTemplate() => new() { Name = "" };

    protected override async Task OnInitializedAsync()
    {
        _canWrite = await Access.CanAsync(Policies.AutomationWrite);
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        _stored = await db.ParsingTemplates.AsNoTracking().OrderBy(t => t.Name).ToListAsync();
    }

    private void Edit(ParsingTemplate t) =>
        _edit = new ParsingTemplate { Id = t.Id, Name = t.Name, Platform = t.Platform, Command = t.Command, Description = t.Description, Text = t.Text };

    private void CopyBuiltIn(string name) =>
        _edit = new ParsingTemplate { Name = name.Replace(".textfsm", "", StringComparison.Ordinal), Text = ParsingLibrary.BuiltInText(name) ?? "" };

    private async Task SaveAsync()
    {
        if (!await Access.AllowsAsync(Policies.AutomationWrite, Snackbar))
        {
            return;
        }
        var saved = await Store.SaveAsync(_edit.Id > 0 ? _edit.Id : null, _edit, CancellationToken.None);
        if (saved.Template is not { } template)
        {
            Snackbar.Add(saved.NotFound ? "The template no longer exists." : saved.Problem, Severity.Error);
            return;
        }
        Snackbar.Add($"Saved {template.Name}.", Severity.Success);
        Edit(template);
        await LoadAsync();
    }

    private async Task DeleteAsync()
    {
        if (!await Access.AllowsAsync(Policies.AutomationWrite, Snackbar))
        {
            return;
        }
        await Store.DeleteAsync(_edit.Id, CancellationToken.None);
        _edit = NewTemplate();
        await LoadAsync();
    }

    private void Test()
    {
        (_problem, _table) = ("", null);
        try
        {
            _table = TextFsmRunner.Parse(ParsingLibrary.Resolve(_edit.Name is { Length: > 0 } name ? name : "(unsaved)", "editor", _edit.Text ?? "").Template, _sample ?? "");
        }
        catch (Exception e) when (e is ParsingException or TextFsmParseException)
        {
            _problem = e.Message;
        }
    }

    private static string Show(object? cell) => cell is string text ? text : JsonSerializer.Serialize(cell);
}
