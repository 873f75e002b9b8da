using System.Collections.Concurrent;

namespace eNMS.Drivers.Cli;

/// <summary>How unknown host keys are treated.</summary>
public enum HostKeyPolicy
{
    /// <summary>The first key seen for a device is recorded and trusted; a different key later is refused.</summary>
    TrustOnFirstUse,

    /// <summary>Only keys recorded (pinned) beforehand are accepted.</summary>
    Pinned,
}

/// <summary>SHA-256 host key fingerprints per device, checked at every connection. Thread-safe.
/// Persist with <see cref="Entries"/> and restore with <see cref="Pin"/>.</summary>
public sealed class KnownHosts(HostKeyPolicy policy = HostKeyPolicy.TrustOnFirstUse)
{
    private readonly ConcurrentDictionary<string, string> _fingerprints = new(StringComparer.OrdinalIgnoreCase);

    public HostKeyPolicy Policy { get; } = policy;

    public IReadOnlyDictionary<string, string> Entries => _fingerprints;

    public void Pin(string key, string fingerprint) => _fingerprints[key] = fingerprint;

    public bool Forget(string key) => _fingerprints.TryRemove(key, out _);

    /// <summary>Null when the key is accepted; otherwise the fingerprint expected (empty when none is pinned).</summary>
    public string? Check(string key, string fingerprint)
    {
        if (Policy is HostKeyPolicy.TrustOnFirstUse)
        {
            var known = _fingerprints.GetOrAdd(key, fingerprint);
            return known == fingerprint ? null : known;
        }
        return _fingerprints.TryGetValue(key, out var pinned) && pinned == fingerprint ? null : pinned ?? "";
    }

    /// <summary>The key under which a device's host key is stored: host and port as dialled.</summary>
    public static string KeyFor(string host, int port) => port == 22 ? host : $"[{host}]:{port}";
}
