using System.Security.Cryptography;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Inventory;
using eNMS.Drivers;
using eNMS.Drivers.Transfer;
using Microsoft.Extensions.Options;

namespace eNMS.Core.Automation.Handlers;

public enum TransferDirection
{
    /// <summary>From the transfer directory to the device.</summary>
    Put,

    /// <summary>From the device to the transfer directory.</summary>
    Get,

    /// <summary>Nothing copied: the device's checksum of the destination (its own command) against the local source's,
    /// as a step of its own after a copy made without verification (an OS upgrade checks the image before booting it).</summary>
    Verify,
}

/// <summary>What to do when the destination already has the file.</summary>
public enum OverwritePolicy
{
    Never,
    Always,

    /// <summary>Copy only when the sizes differ or, where the platform has a checksum command, the checksums do.</summary>
    IfDifferent,
}

public sealed class FileTransferParameters
{
    public TransferDirection Direction { get; set; } = TransferDirection.Put;
    public FileTransferProtocol Protocol { get; set; } = FileTransferProtocol.Sftp;

    /// <summary>The file to copy: relative to the transfer directory for a put, a path on the device for a get. A
    /// Liquid template (<c>images/{{ device.model }}.bin</c>).</summary>
    public string Source { get; set; } = "";

    /// <summary>Where it goes: a path on the device for a put, relative to the transfer directory for a get. A Liquid
    /// template; empty keeps the source's file name.</summary>
    public string Destination { get; set; } = "";

    public OverwritePolicy Overwrite { get; set; } = OverwritePolicy.Never;

    /// <summary>After the copy, compare the device's checksum of the file (its own command over the CLI session)
    /// with the local one.</summary>
    public bool VerifyChecksum { get; set; } = true;
}

/// <summary><c>file_transfer</c>: copies a file between the configured transfer directory (Automation:
/// FileTransferDirectory, never a path outside it) and the device over SFTP or SCP, honouring an overwrite policy
/// and the size limit (Automation:FileTransferMaxBytes), then verifies it with the device's checksum command.</summary>
public sealed class FileTransferHandler(IOptionsMonitor<AutomationOptions> options) : ServiceHandler<FileTransferParameters>
{
    protected override bool ChangesDevices(FileTransferParameters p) => p.Direction == TransferDirection.Put;

    public override string Kind => "file_transfer";

    public override string Description => "Copies a file to or from the device over SFTP or SCP and verifies its checksum (real devices only).";

    protected override FileTransferParameters ExampleParameters => new() { Source = "images/{{ device.model }}.bin", Destination = "/tmp/", Overwrite = OverwritePolicy.Never };

    protected override string? Validate(FileTransferParameters p)
    {
        if (string.IsNullOrWhiteSpace(p.Source))
        {
            return "Give the source file.";
        }
        return Templates.TemplateRenderer.Check(p.Source) ?? Templates.TemplateRenderer.Check(p.Destination ?? "");
    }

    protected override async Task<ServiceResult> ExecuteAsync(ServiceContext context, FileTransferParameters p, CancellationToken ct)
    {
        var device = context.Device ?? throw new InvalidOperationException($"{context.Service.Name} copies files to and from devices: give it devices.");
        var settings = options.CurrentValue;
        var source = (await context.RenderAsync(p.Source)).Trim();
        var destination = (await context.RenderAsync(p.Destination ?? "")).Trim();
        if (destination.Length == 0)
        {
            destination = Path.GetFileName(source.Replace('\\', '/'));
        }
        var localName = p.Direction == TransferDirection.Get ? destination : source;
        var remote = p.Direction == TransferDirection.Get ? source : destination;
        if (TransferDirectory.Resolve(settings.FileTransferDirectory, localName) is not { } local)
        {
            return ServiceResult.Fail($"{device.Name}: {TransferDirectory.Problem(settings.FileTransferDirectory, localName)}");
        }
        return p.Direction switch
        {
            TransferDirection.Put => await PutAsync(context, device, p, local, localName, remote, settings.FileTransferMaxBytes, ct),
            TransferDirection.Get => await GetAsync(context, device, p, local, localName, remote, settings.FileTransferMaxBytes, ct),
            _ => File.Exists(local)
                ? await VerifyAsync(context, device, p, local, remote, new FileInfo(local).Length, ct)
                : ServiceResult.Fail($"{device.Name}: no file {localName} in the transfer directory to verify {remote} against"),
        };
    }

    private static async Task<ServiceResult> PutAsync(ServiceContext context, Device device, FileTransferParameters p, string local, string localName,
        string remote, long maxBytes, CancellationToken ct)
    {
        var file = new FileInfo(local);
        if (!file.Exists)
        {
            return ServiceResult.Fail($"{device.Name}: no file {localName} in the transfer directory");
        }
        if (file.Length > maxBytes)
        {
            return ServiceResult.Fail($"{device.Name}: {localName} ({file.Length} bytes) is larger than the transfer size limit of {maxBytes} bytes");
        }
        // The CLI session that checks the file is opened only once the transfer's is closed: a platform limit of one
        // session must not deadlock this node against itself.
        long? remoteSize = null;
        var copied = false;
        await using (var transfer = await context.ConnectFileTransferAsync(p.Protocol, ct))
        {
            if (p.Overwrite != OverwritePolicy.Always && transfer.Transfer.CanStat)
            {
                remoteSize = await transfer.Transfer.SizeOfAsync(remote, ct);
            }
            if (p.Overwrite == OverwritePolicy.Always || (transfer.Transfer.CanStat && remoteSize is null))
            {
                await CopyAsync(transfer.Transfer);
                copied = true;
            }
        }
        if (!copied)
        {
            // The file exists (SFTP said so) or SCP cannot tell: the device's checksum command says whether it is there.
            var (remoteChecksum, unsupported) = await RemoteChecksumAsync(context, remote, ct);
            if (remoteSize is null && remoteChecksum is null && unsupported is not null)
            {
                return ServiceResult.Fail($"{device.Name}: cannot tell whether {remote} exists over SCP ({unsupported}): use SFTP or overwrite Always");
            }
            var exists = remoteSize is not null || remoteChecksum is not null;
            if (exists && p.Overwrite == OverwritePolicy.Never)
            {
                return ServiceResult.Fail($"{device.Name}: {remote} already exists and the overwrite policy is Never");
            }
            if (exists && await SameAsync(local, remoteSize, remoteChecksum, ct))
            {
                return Skipped(device, remote, remoteSize, remoteChecksum, unsupported);
            }
            await using var transfer = await context.ConnectFileTransferAsync(p.Protocol, ct);
            await CopyAsync(transfer.Transfer);
        }
        return await VerifyAsync(context, device, p, local, remote, file.Length, ct);

        async Task CopyAsync(SshFileTransfer transfer)
        {
            var progress = context.TransferProgress(remote, file.Length);
            await using (var stream = new FileStream(local, FileMode.Open, FileAccess.Read, FileShare.Read))
            {
                await transfer.PutAsync(progress.Counting(stream), remote, ct);
            }
            progress.Complete();
            context.Log($"put {localName} → {remote} ({file.Length} bytes over {p.Protocol})");
        }
    }

    private static async Task<ServiceResult> GetAsync(ServiceContext context, Device device, FileTransferParameters p, string local, string localName,
        string remote, long maxBytes, CancellationToken ct)
    {
        var exists = File.Exists(local);
        if (exists && p.Overwrite == OverwritePolicy.Never)
        {
            return ServiceResult.Fail($"{device.Name}: {localName} already exists in the transfer directory and the overwrite policy is Never");
        }
        long? remoteSize = null;
        await using (var transfer = await context.ConnectFileTransferAsync(p.Protocol, ct))
        {
            remoteSize = await transfer.Transfer.SizeOfAsync(remote, ct);
            if (transfer.Transfer.CanStat && remoteSize is null)
            {
                return ServiceResult.Fail($"{device.Name}: no such file: {remote}");
            }
            if (remoteSize > maxBytes)
            {
                return ServiceResult.Fail($"{device.Name}: {remote} ({remoteSize} bytes) is larger than the transfer size limit of {maxBytes} bytes");
            }
        }
        if (exists && p.Overwrite == OverwritePolicy.IfDifferent)
        {
            var (remoteChecksum, unsupported) = await RemoteChecksumAsync(context, remote, ct);
            if (await SameAsync(local, remoteSize, remoteChecksum, ct) && (remoteSize is not null || remoteChecksum is not null))
            {
                return Skipped(device, localName, remoteSize, remoteChecksum, unsupported);
            }
        }
        // Written beside the destination and renamed over it: a rename replaces a symbolic link planted there in the
        // meantime instead of writing through it, and a failed copy leaves no half file.
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        var partial = Path.Combine(Path.GetDirectoryName(local)!, $".{Path.GetFileName(local)}.{Guid.NewGuid():N}.part");
        long length;
        try
        {
            var progress = context.TransferProgress(remote, remoteSize);
            await using (var transfer = await context.ConnectFileTransferAsync(p.Protocol, ct))
            await using (var stream = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                await transfer.Transfer.GetAsync(remote, progress.Counting(stream), maxBytes, ct);
                length = stream.Length;
            }
            progress.Complete();
            File.Move(partial, local, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
        context.Log($"got {remote} → {localName} ({length} bytes over {p.Protocol})");
        return await VerifyAsync(context, device, p, local, remote, length, ct);
    }

    /// <summary>The device's checksum of the file against the local one; unsupported platforms fail verification
    /// saying so, since the user asked for it.</summary>
    private static async Task<ServiceResult> VerifyAsync(ServiceContext context, Device device, FileTransferParameters p, string local, string remote,
        long bytes, CancellationToken ct)
    {
        var data = new Dictionary<string, object?> { ["direction"] = p.Direction.ToString(), ["protocol"] = p.Protocol.ToString(), ["path"] = remote, ["bytes"] = bytes };
        var summary = p.Direction switch
        {
            TransferDirection.Put => $"copied to {device.Name}:{remote} ({bytes} bytes over {p.Protocol})",
            TransferDirection.Get => $"copied from {device.Name}:{remote} ({bytes} bytes over {p.Protocol})",
            _ => $"{device.Name}:{remote} checked against the local file ({bytes} bytes)",
        };
        if (!p.VerifyChecksum && p.Direction != TransferDirection.Verify)
        {
            return ServiceResult.Ok(summary, changed: p.Direction == TransferDirection.Put, data: data);
        }
        var (remoteChecksum, unsupported) = await RemoteChecksumAsync(context, remote, ct);
        if (unsupported is not null)
        {
            return ServiceResult.Fail(p.Direction == TransferDirection.Verify ? $"{device.Name}: {unsupported}: {remote} cannot be verified"
                : $"{device.Name}: {unsupported}: the file was copied but not verified (turn checksum verification off for this platform)", summary, data);
        }
        if (remoteChecksum is null)
        {
            return ServiceResult.Fail(p.Direction == TransferDirection.Verify ? $"{device.Name}: no such file: {remote}"
                : $"{device.Name}: {remote} is not on the device after the copy", summary, data);
        }
        var localChecksum = await LocalChecksumAsync(local, remoteChecksum.Algorithm, ct);
        data["checksum"] = $"{remoteChecksum.Algorithm}:{remoteChecksum.Hex}";
        return localChecksum == remoteChecksum.Hex
            ? ServiceResult.Ok($"{summary}\n{remoteChecksum.Algorithm} {remoteChecksum.Hex} verified", changed: p.Direction == TransferDirection.Put, data: data)
            : ServiceResult.Fail($"{device.Name}: checksum mismatch for {remote}: expected {remoteChecksum.Algorithm} {localChecksum} (the local file), " +
                $"got {remoteChecksum.Hex} from the device", summary, data);
    }

    private static async Task<(FileChecksum? Checksum, string? Unsupported)> RemoteChecksumAsync(ServiceContext context, string remote, CancellationToken ct)
    {
        await using var driver = await context.ConnectAsync(ct);
        try
        {
            return (await driver.FileChecksumAsync(remote, ct), null);
        }
        catch (NotSupportedException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>Same size where the size is known, and same checksum where the device can compute one.</summary>
    private static async Task<bool> SameAsync(string local, long? remoteSize, FileChecksum? remoteChecksum, CancellationToken ct)
    {
        if (remoteSize is { } size && size != new FileInfo(local).Length)
        {
            return false;
        }
        return remoteChecksum is null || await LocalChecksumAsync(local, remoteChecksum.Algorithm, ct) == remoteChecksum.Hex;
    }

    private static ServiceResult Skipped(Device device, string path, long? size, FileChecksum? checksum, string? unsupported) =>
        ServiceResult.Ok($"{device.Name}: {path} is already there and the same " +
            (checksum is not null ? $"({checksum.Algorithm} {checksum.Hex})" : $"size ({size} bytes; {unsupported})") + ": not copied",
            data: new Dictionary<string, object?> { ["skipped"] = true, ["path"] = path });

    internal static async Task<string> LocalChecksumAsync(string path, string algorithm, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        var hash = algorithm switch
        {
            "sha256" => await SHA256.HashDataAsync(stream, ct),
#pragma warning disable CA5351 // MD5 only because IOS, NX-OS and Junos print it: an integrity check, not a security one.
            "md5" => await MD5.HashDataAsync(stream, ct),
#pragma warning restore CA5351
            _ => throw new NotSupportedException($"checksum algorithm {algorithm}"),
        };
        return Convert.ToHexStringLower(hash);
    }
}

/// <summary>The configured transfer directory, and the only local paths <c>file_transfer</c> touches: inside it, with
/// no symbolic link on the way (a link could point anywhere, and a path checked as text would not see it).</summary>
public static class TransferDirectory
{
    /// <summary>The full path of <paramref name="relative"/> inside <paramref name="root"/>, or null when it is not
    /// allowed (see <see cref="Problem"/>).</summary>
    public static string? Resolve(string root, string relative) => Problem(root, relative) is null ? Full(root, relative) : null;

    /// <summary>Why the path is refused, or null.</summary>
    public static string? Problem(string root, string relative)
    {
        if (string.IsNullOrWhiteSpace(root))
        {
            return "file transfers are off: no transfer directory is configured (Automation:FileTransferDirectory)";
        }
        if (string.IsNullOrWhiteSpace(relative) || relative.Contains('\0', StringComparison.Ordinal))
        {
            return "no local file name given";
        }
        var rootFull = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var full = Full(root, relative);
        if (!full.StartsWith(rootFull + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return $"the local path {relative} is outside the transfer directory: refused";
        }
        // Each step below the root, the file itself included, must not be a link.
        for (var path = full; path.Length > rootFull.Length; path = Path.GetDirectoryName(path)!)
        {
            // LinkTarget reads the entry itself (lstat): it sees dangling links too.
            if (new FileInfo(path).LinkTarget is not null)
            {
                return $"the local path {relative} goes through a symbolic link ({Path.GetRelativePath(rootFull, path)}): refused";
            }
        }
        if (Directory.Exists(full))
        {
            return $"the local path {relative} is a directory";
        }
        return null;
    }

    private static string Full(string root, string relative) => Path.GetFullPath(Path.Combine(Path.GetFullPath(root), relative));
}
