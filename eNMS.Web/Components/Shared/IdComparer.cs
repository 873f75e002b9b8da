namespace eNMS.Web.Components.Shared;

/// <summary>Row identity for server-side tables, whose rows are new objects on every page load.</summary>
public sealed class IdComparer<T>(Func<T, int> id) : IEqualityComparer<T>
{
    public bool Equals(T? x, T? y) => x is not null && y is not null ? id(x) == id(y) : x is null && y is null;

    public int GetHashCode(T obj) => id(obj);
}
