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

/// <summary>A host key a device offered and that was refused because another one is trusted for that address.</summary>
/// <param name="Key">The known-hosts key (<see cref="KnownHosts.KeyFor"/>).</param>
/// <param name="Fingerprint">The offered key's SHA-256 fingerprint.</param>
/// <param name="Algorithm">The offered key's type (<c>ssh-ed25519</c>, …), empty when unknown.</param>
/// <param name="Expected">The fingerprint trusted at refusal time (empty when none was pinned).</param>
/// <param name="Device">The device being connected to.</param>
/// <param name="At">When it was refused.</param>
public sealed record HostKeyOffer(string Key, string Fingerprint, string Algorithm, string Expected, string Device, DateTimeOffset At);

/// <summary>SHA-256 host key fingerprints per device, checked at every connection. Thread-safe.
/// Persist with <see cref="Entries"/> and restore with <see cref="Pin"/>; keys refused since the last save are in
/// <see cref="Refused"/>, so that an admin can see (and accept) exactly the key a device offered.</summary>
public sealed class KnownHosts(HostKeyPolicy policy = HostKeyPolicy.TrustOnFirstUse, TimeProvider? time = null)
{
    private readonly ConcurrentDictionary<string, string> _fingerprints = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, string> _algorithms = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, HostKeyOffer> _refused = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public HostKeyPolicy Policy { get; } = policy;

    public IReadOnlyDictionary<string, string> Entries => _fingerprints;

    /// <summary>The last key refused per address, not yet taken by <see cref="TakeRefused"/>.</summary>
    public IReadOnlyCollection<HostKeyOffer> Refused => [.. _refused.Values];

    /// <summary>The trusted key's type for an address, empty when unknown.</summary>
    public string AlgorithmOf(string key) => _algorithms.GetValueOrDefault(key, "");

    public void Pin(string key, string fingerprint, string algorithm = "")
    {
        _fingerprints[key] = fingerprint;
        if (algorithm.Length > 0)
        {
            _algorithms[key] = algorithm;
        }
        // The refused key is trusted now (accepted by an admin): nothing is left to show for it.
        if (_refused.TryGetValue(key, out var offer) && offer.Fingerprint == fingerprint)
        {
            _refused.TryRemove(new KeyValuePair<string, HostKeyOffer>(key, offer));
        }
    }

    public bool Forget(string key)
    {
        _algorithms.TryRemove(key, out _);
        _refused.TryRemove(key, out _);
        return _fingerprints.TryRemove(key, out _);
    }

    /// <summary>Removes a refused offer once stored elsewhere, unless a newer refusal replaced it meanwhile.</summary>
    public void TakeRefused(HostKeyOffer offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        _refused.TryRemove(new KeyValuePair<string, HostKeyOffer>(offer.Key, offer));
    }

    /// <summary>Null when the key is accepted; otherwise the fingerprint expected (empty when none is pinned), and the
    /// offered key is remembered in <see cref="Refused"/>.</summary>
    public string? Check(string key, string fingerprint, string algorithm = "", string device = "")
    {
        string? expected;
        if (Policy is HostKeyPolicy.TrustOnFirstUse)
        {
            var known = _fingerprints.GetOrAdd(key, fingerprint);
            if (known == fingerprint)
            {
                if (algorithm.Length > 0)
                {
                    _algorithms.TryAdd(key, algorithm);
                }
                return null;
            }
            expected = known;
        }
        else
        {
            if (_fingerprints.TryGetValue(key, out var pinned) && pinned == fingerprint)
            {
                return null;
            }
            expected = pinned ?? "";
        }
        _refused[key] = new HostKeyOffer(key, fingerprint, algorithm, expected, device, _time.GetUtcNow());
        return expected;
    }

    /// <summary>The key under which a device's host key is stored: host and port as dialled.</summary>
    public static string KeyFor(string host, int port) => port == 22 ? host : $"[{host}]:{port}";
}
