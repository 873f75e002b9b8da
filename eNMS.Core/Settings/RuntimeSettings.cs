using eNMS.Core.Data;
using eNMS.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Logging;

namespace eNMS.Core.Settings;

/// <summary>A setting as the admin page and API show it. A secret's value is never included: only whether it is set.</summary>
public sealed record SettingView(string Key, string Group, string Label, SettingKind Kind, string Help, bool Live,
    string? Value, bool IsSet, string? LockedBy, bool Stored, DateTimeOffset? ChangedAt, string? ChangedBy);

/// <summary>What a change did: the errors that refused it (by setting key; nothing is saved then), or how many settings changed.</summary>
public sealed record SettingsChangeResult(IReadOnlyDictionary<string, string[]> Errors, bool Locked, int Changed)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// The one owner of the settings an admin changes while the app runs (<see cref="SettingCatalog"/>): it validates and
/// saves them (<see cref="StoredSetting"/>, secrets encrypted with the key ring), audits each change once, and feeds
/// them to the configuration as its lowest-priority source, so consumers read them as they read appsettings — through
/// <c>IOptionsMonitor</c> for those applied live. A setting that another source sets is locked (shown with that
/// source, refused here). <see cref="ReloadAsync"/> also runs every few seconds (<see cref="RuntimeSettingsRefresher"/>),
/// so that a change made on another node of a cluster reaches this one.
/// </summary>
public sealed class RuntimeSettings(IDbContextFactory<EnmsDbContext> dbFactory, IConfiguration configuration, StoredSettingsConfigurationSource source,
    SecretProtector secrets, AuditLog audit, TimeProvider time, ILogger<RuntimeSettings> logger) : IDisposable
{
    private const string Default = "(default)";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<string, string?> _published = [];

    /// <summary>Reads the stored settings and, when they differ from what this node uses, publishes them to the configuration.</summary>
    public async Task ReloadAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var row in await ReadAsync(ct))
            {
                if (SettingCatalog.Find(row.Key) is { } definition && LockedBy(definition) is null)
                {
                    Expand(definition, row.Value, values);
                }
            }
            if (values.Count == _published.Count && values.All(v => _published.TryGetValue(v.Key, out var old) && old == v.Value))
            {
                return;
            }
            _published = values;
            source.Provider.Publish(values);
            logger.LogInformation("Settings from the database applied ({Count} configuration values)", values.Count);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<SettingView>> ListAsync(CancellationToken ct)
    {
        var rows = (await ReadAsync(ct)).ToDictionary(r => r.Key, StringComparer.OrdinalIgnoreCase);
        return [.. SettingCatalog.All.Select(d =>
        {
            var row = rows.GetValueOrDefault(d.Key);
            var effective = Effective(d);
            return new SettingView(d.Key, d.Group, d.Label, d.Kind, d.Help, d.Live, d.IsSecret ? null : effective,
                !string.IsNullOrEmpty(effective), LockedBy(d), row is not null, row?.ChangedAt, row?.ChangedBy);
        })];
    }

    /// <summary>Applies <paramref name="values"/> (key → new value; null returns the setting to its default) all or
    /// nothing: an unknown or locked key, or an invalid value, refuses the whole change with a message naming the setting.</summary>
    public async Task<SettingsChangeResult> UpdateAsync(AuditActor? actor, IReadOnlyDictionary<string, string?> values, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(values);
        var errors = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        var locked = false;
        var changes = new List<(SettingDefinition Definition, string? Value)>();
        foreach (var (key, value) in values)
        {
            var definition = SettingCatalog.Find(key);
            if (definition is null)
            {
                errors[key] = [$"{key}: no such setting (settings: GET /api/admin/settings)."];
            }
            else if (LockedBy(definition) is { } holder)
            {
                locked = true;
                errors[definition.Key] = [$"{definition.Label} ({definition.Key}) is set by {holder}, which wins over this page: change it there."];
            }
            else if (value is not null && definition.Validate(value) is { } problem)
            {
                errors[definition.Key] = [problem];
            }
            else
            {
                changes.Add((definition, value is null ? null : definition.Normalize(value)));
            }
        }
        if (errors.Count > 0)
        {
            return new SettingsChangeResult(errors, locked, 0);
        }
        var changed = 0;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var keys = changes.Select(c => c.Definition.Key).ToList();
            var rows = await db.StoredSettings.Where(s => keys.Contains(s.Key)).ToDictionaryAsync(s => s.Key, StringComparer.OrdinalIgnoreCase, ct);
            foreach (var (definition, value) in changes)
            {
                var row = rows.GetValueOrDefault(definition.Key);
                var old = row is null ? null : definition.IsSecret ? Reveal(row.Value) : row.Value;
                if (old == value)
                {
                    continue;
                }
                if (value is null)
                {
                    db.StoredSettings.Remove(row!);
                }
                else
                {
                    row ??= db.StoredSettings.Add(new StoredSetting { Key = definition.Key }).Entity;
                    row.Value = definition.IsSecret ? secrets.Protect(value) : value;
                    row.ChangedAt = time.GetUtcNow();
                    row.ChangedBy = actor?.User ?? "system";
                }
                var details = definition.IsSecret
                    ? value is null ? "cleared" : old is null ? "set" : "changed"
                    : $"{Shown(old)} -> {Shown(value)}";
                audit.Add(db, actor, "setting change", "setting", null, definition.Key, details);
                changed++;
            }
            await db.SaveChangesAsync(ct);
        }
        await ReloadAsync(ct);
        return new SettingsChangeResult(errors, false, changed);
    }

    /// <summary>The source that sets this key over the database (appsettings.json, an environment variable, the
    /// command line…), or null when the database's value (or the default) applies.</summary>
    public string? LockedBy(SettingDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return configuration is IConfigurationRoot root ? Holder(root.Providers, definition) : null;
    }

    private static string? Holder(IEnumerable<IConfigurationProvider> providers, SettingDefinition definition)
    {
        foreach (var provider in providers.Reverse())
        {
            if (provider is StoredSettingsConfigurationProvider)
            {
                continue;
            }
            if (provider is ChainedConfigurationProvider { Configuration: IConfigurationRoot inner })
            {
                if (Holder(inner.Providers, definition) is { } chained)
                {
                    return chained;
                }
                continue;
            }
            var sets = definition.HasChildren ? provider.GetChildKeys([], definition.Key).Any() : provider.TryGet(definition.Key, out _);
            if (sets)
            {
                return SourceName(provider, definition.Key);
            }
        }
        return null;
    }

    private static string SourceName(IConfigurationProvider provider, string key)
    {
        var text = provider.ToString() ?? provider.GetType().Name;
        var quoted = text.IndexOf(" for '", StringComparison.Ordinal);
        return text switch
        {
            _ when quoted >= 0 => text[(quoted + 6)..].Split('\'')[0],
            _ when text.StartsWith("EnvironmentVariables", StringComparison.Ordinal) => $"the environment variable {key.Replace(":", "__", StringComparison.Ordinal)}",
            _ when text.StartsWith("CommandLine", StringComparison.Ordinal) => "the command line",
            _ when provider is MemoryConfigurationProvider => "the host's settings",
            _ => text,
        };
    }

    private string? Effective(SettingDefinition definition)
    {
        var section = configuration.GetSection(definition.Key);
        return definition.Kind switch
        {
            SettingKind.CidrList => string.Join('\n', section.GetChildren().Select(c => c.Value)),
            SettingKind.PlatformLimits => string.Join('\n', section.GetChildren().Select(c => $"{c.Key}={c.Value}")),
            _ => section.Value,
        };
    }

    /// <summary>A stored secret in clear; one this key ring cannot read counts as different from any new value.</summary>
    private string Reveal(string stored)
    {
        try
        {
            return secrets.Unprotect(stored);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return "\0unreadable";
        }
    }

    private static string Shown(string? value) => value is null ? Default : value.Replace('\n', ',');

    private void Expand(SettingDefinition definition, string stored, Dictionary<string, string?> values)
    {
        switch (definition.Kind)
        {
            case SettingKind.CidrList:
                var entries = SettingDefinition.Entries(stored);
                for (var i = 0; i < entries.Count; i++)
                {
                    values[$"{definition.Key}:{i}"] = entries[i];
                }
                break;
            case SettingKind.PlatformLimits:
                foreach (var entry in SettingDefinition.Entries(stored))
                {
                    var (platform, limit) = (entry[..entry.IndexOf('=', StringComparison.Ordinal)].Trim(), entry[(entry.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim());
                    values[$"{definition.Key}:{platform}"] = limit;
                }
                break;
            case SettingKind.Secret:
                try
                {
                    values[definition.Key] = secrets.Unprotect(stored);
                }
                catch (System.Security.Cryptography.CryptographicException e)
                {
                    logger.LogWarning(e, "The stored {Setting} cannot be decrypted with this key ring: it is ignored", definition.Key);
                }
                break;
            default:
                values[definition.Key] = stored;
                break;
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<List<StoredSetting>> ReadAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.StoredSettings.AsNoTracking().ToListAsync(ct);
    }
}
