using eNMS.Core.Ansible;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Web.Components.Shared;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Automation;

/// <summary>The playbook library: write or upload a playbook, see its YAML checked as you type, keep every saved
/// version.</summary>
public sealed partial class PlaybooksPage
{
    private const long MaxUploadBytes = 1024 * 1024;
    private List<Playbook> _playbooks = [];
    private List<PlaybookVersion> _versions = [];
    private int? _id;
    private int _shownVersion;
    private string _name = "";
    private string _description = "";
    private string _content = "";
    private string? _problem;
    private Playbook? _stored;
    private AccessFields _access = new();
    /// <summary>Why this user may only look at the open playbook (its edit list leaves them out), or null.</summary>
    private string? _readOnly;

    [Inject] private IDbContextFactory<EnmsDbContext> DbFactory { get; set; } = default!;
    [Inject] private PlaybookLibrary Library { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        _playbooks = (await db.Playbooks.AsNoTracking().Include(p => p.Versions).OrderBy(p => p.Name).ToListAsync()).Readable(await Access.ActorAsync());
        foreach (var p in _playbooks)
        {
            p.Versions = p.Versions.Select(v => new PlaybookVersion { Id = v.Id, Number = v.Number }).ToList(); // the list needs counts only
        }
    }

    private async Task NewAsync()
    {
        (_stored, _access, _readOnly) = (null, AccessFields.From(null, (await Access.ActorAsync()).User), null);
        (_id, _name, _description, _content, _versions, _shownVersion, _problem) = (null, "", "", "- hosts: all\n  gather_facts: false\n  tasks:\n    - name: hello\n      ansible.builtin.debug:\n        msg: \"{{ inventory_hostname }}\"\n", [], 0, null);
    }

    private async Task OpenAsync(int id, int version)
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        var actor = await Access.ActorAsync();
        if ((await db.Playbooks.AsNoTracking().Where(p => p.Id == id).ToListAsync()).Readable(actor).FirstOrDefault() is not { } playbook)
        {
            return;
        }
        (_stored, _access) = (playbook, AccessFields.From(playbook));
        _readOnly = ObjectAccess.Refusal(actor, playbook, "This playbook", AccessRight.Edit);
        _versions = await db.PlaybookVersions.AsNoTracking().Where(v => v.PlaybookId == id).OrderByDescending(v => v.Number).ToListAsync();
        var shown = version > 0 ? _versions.First(v => v.Number == version) : _versions.First();
        (_id, _name, _description, _content, _shownVersion) = (id, playbook.Name, playbook.Description, shown.Content, shown.Number);
        Validate();
    }

    private void Validate() => _problem = PlaybookLibrary.Validate(_content);

    private async Task UploadAsync(InputFileChangeEventArgs e)
    {
        using var reader = new StreamReader(e.File.OpenReadStream(MaxUploadBytes));
        _content = await reader.ReadToEndAsync();
        if (_name.Length == 0)
        {
            _name = Path.GetFileNameWithoutExtension(e.File.Name);
        }
        Validate();
    }

    private async Task SaveAsync()
    {
        if (!await Access.AllowsAsync(Policies.AutomationWrite, Snackbar))
        {
            return;
        }
        try
        {
            var saved = await Library.SaveAsync(_id, _name, _description, _content, (await Access.UserAsync()).AuditName(), CancellationToken.None,
                _access.ToChange());
            Snackbar.Add(saved.NewVersion ? $"Saved {_name} version {saved.Version}." : $"{_name} is unchanged (version {saved.Version}).", Severity.Success);
            await LoadAsync();
            await OpenAsync(saved.PlaybookId, 0);
        }
        catch (Exception e) when (e is ArgumentException or AccessDeniedException)
        {
            Snackbar.Add(e.Message, Severity.Error);
        }
    }
}
