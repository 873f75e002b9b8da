using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace eNMS.Core.Inventory.Import;

/// <summary>
/// A replace deletes what the file lacks, so its commit must confirm exactly the preview the user saw: the preview
/// hands out a hash of the file and of the inventory it compared against, and the commit recomputes it before
/// writing. A different file, any change to devices, links or pools since, or no token at all refuses the commit.
/// </summary>
internal static class ReplaceToken
{
    /// <summary>The file as a seekable stream, and the SHA-256 of its bytes.</summary>
    public static async Task<(Stream Content, byte[] Hash)> ReadAsync(Stream file, CancellationToken ct)
    {
        var content = file;
        if (!file.CanSeek)
        {
            var copy = new MemoryStream();
            await file.CopyToAsync(copy, ct);
            content = copy;
        }
        content.Position = 0;
        var hash = await SHA256.HashDataAsync(content, ct);
        content.Position = 0;
        return (content, hash);
    }

    public static string Of(byte[] fileHash, IEnumerable<Device> devices, IEnumerable<Link> links, IEnumerable<Pool> pools)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(fileHash);
        foreach (var device in devices.OrderBy(d => d.Id))
        {
            Append(hash, "d", device.Id, device.CredentialId, InventoryFields.Device.All.Select(f => f.Get(device)),
                device.CustomProperties.Select(p => $"{p.Name}={p.Kind}:{p.Value}"));
        }
        foreach (var link in links.OrderBy(l => l.Id))
        {
            Append(hash, "l", link.Id, link.SourceId * 1_000_003L + link.DestinationId, InventoryFields.Link.All.Select(f => f.Get(link)),
                link.CustomProperties.Select(p => $"{p.Name}={p.Kind}:{p.Value}"));
        }
        foreach (var pool in pools.OrderBy(p => p.Id))
        {
            Append(hash, "p", pool.Id, (long)pool.Mode, [pool.Name, pool.Description, JsonSerializer.Serialize(pool.Criteria, ImportJson.Options)],
                pool.Devices.Select(d => $"d{d.Id}").Concat(pool.Links.Select(l => $"l{l.Id}")).Order(StringComparer.Ordinal));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static void Check(string? quoted, string current)
    {
        if (string.IsNullOrWhiteSpace(quoted))
        {
            throw new ImportConflictException("A replace import deletes what the file lacks, so its commit must quote the "
                + "token of the preview it confirms: preview first (commit=false&replace=true), check what it deletes, then "
                + "commit with token=<the preview's replaceToken>.");
        }
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(quoted.Trim()), Encoding.ASCII.GetBytes(current)))
        {
            throw new ImportConflictException("The file or the inventory changed since the preview this commit quotes: "
                + "nothing was written. Preview again and check what the replace deletes now.");
        }
    }

    private static void Append(IncrementalHash hash, string kind, int id, long? reference, IEnumerable<string> values, IEnumerable<string> extra)
    {
        var line = new StringBuilder().Append(kind).Append(id).Append('\u001f').Append(reference);
        foreach (var value in values.Concat(extra))
        {
            line.Append('\u001f').Append(value);
        }
        hash.AppendData(Encoding.UTF8.GetBytes(line.Append('\u001e').ToString()));
    }
}
