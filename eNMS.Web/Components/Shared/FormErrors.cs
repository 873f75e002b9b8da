using eNMS.Core.Inventory.Editing;

namespace eNMS.Web.Components.Shared;

/// <summary>The per-field messages of the last <see cref="EditResult"/> a form got back.</summary>
public sealed class FormErrors
{
    private IReadOnlyDictionary<string, string> _errors = new Dictionary<string, string>();

    public string? this[string field] => _errors.GetValueOrDefault(field);

    public bool Has(string field) => _errors.ContainsKey(field);

    /// <summary>Messages not tied to a field shown on the form (e.g. "no longer exists").</summary>
    public IEnumerable<string> Others(params string[] shown) =>
        _errors.Where(e => !shown.Contains(e.Key)).Select(e => e.Key.Length == 0 ? e.Value : $"{e.Key}: {e.Value}");

    public void Set(EditResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _errors = result.Errors;
    }
}
