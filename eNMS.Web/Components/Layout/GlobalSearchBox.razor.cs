using eNMS.Core.Search;
using eNMS.Core.Security;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace eNMS.Web.Components.Layout;

public sealed partial class GlobalSearchBox : IDisposable
{
    private string _query = "";
    private string? _searched;
    private SearchResults _results = SearchResults.None;
    private int _active = -1;
    private bool _open;
    private bool _pointerInside;
    private CancellationTokenSource? _pending;

    [Inject] private GlobalSearch Search { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private static string GroupTitle(SearchKind kind) => kind switch
    {
        SearchKind.Device => "Devices",
        SearchKind.Link => "Links",
        SearchKind.Service => "Services",
        SearchKind.Workflow => "Workflows",
        SearchKind.ComplianceRule => "Compliance rules",
        SearchKind.Run => "Runs",
        _ => "Configurations",
    };

    private async Task SearchAsync(string? query)
    {
        _query = query ?? "";
        // A newer query makes the one still running pointless.
        _pending?.Cancel();
        _pending?.Dispose();
        var pending = _pending = new CancellationTokenSource();
        if (_query.Trim().Length < GlobalSearch.MinQueryLength)
        {
            (_results, _searched, _active, _open) = (SearchResults.None, null, -1, false);
            return;
        }
        try
        {
            var results = await Search.SearchAsync(_query, await Access.PoolScopeAsync(), !await Access.CanAsync(Policies.SecretsRead), pending.Token);
            (_results, _searched, _active, _open) = (results, _query.Trim(), results.Hits.Count > 0 ? 0 : -1, true);
        }
        catch (OperationCanceledException) when (pending.IsCancellationRequested)
        {
            // Superseded by a newer query.
        }
    }

    private Task KeyDownAsync(KeyboardEventArgs e)
    {
        var count = _results.Hits.Count;
        switch (e.Key)
        {
            case "ArrowDown" when count > 0:
                (_open, _active) = (true, (_active + 1) % count);
                break;
            case "ArrowUp" when count > 0:
                (_open, _active) = (true, _active <= 0 ? count - 1 : _active - 1);
                break;
            case "Enter" when _open && _active >= 0 && _active < count:
                _open = false;
                // The hits are shown by group: the active index counts in that order.
                Navigation.NavigateTo(_results.Groups.SelectMany(g => g).ElementAt(_active).Url);
                break;
            case "Escape":
                _open = false;
                break;
        }
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _pending?.Cancel();
        _pending?.Dispose();
    }
}
