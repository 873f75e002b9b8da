using System.Text.Json;
using eNMS.Core.Automation.Handlers;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace eNMS.Core.Data.Configurations;

/// <summary>A small object read and written whole (a run's rollout plan and progress): one JSON text column, compared
/// by its JSON so that a change inside it (a batch's outcome) is saved.</summary>
internal static class JsonColumn
{
    public static PropertyBuilder<T?> AsJson<T>(this PropertyBuilder<T?> property) where T : class =>
        property.HasConversion(
            v => JsonSerializer.Serialize(v, ServiceJson.Options),
            v => JsonSerializer.Deserialize<T>(v, ServiceJson.Options),
            new ValueComparer<T?>((a, b) => Text(a) == Text(b), v => Text(v).GetHashCode(StringComparison.Ordinal),
                v => v == null ? null : JsonSerializer.Deserialize<T>(Text(v), ServiceJson.Options)));

    private static string Text<T>(T? value) where T : class => value is null ? "" : JsonSerializer.Serialize(value, ServiceJson.Options);
}
