using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using eNMS.Core.Automation;
using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace eNMS.Core.Configurations;

/// <summary>Bound from "Configurations:GitMirror". An empty <see cref="RepositoryPath"/> turns the mirror off.</summary>
public sealed class GitMirrorOptions
{
    /// <summary>The local repository (created and initialised when missing), dedicated to the mirror.</summary>
    public string RepositoryPath { get; set; } = "";
    /// <summary>Where to push after each commit (a URL or path, without a password: use a credential helper or an
    /// SSH key of the service account); empty = no push.</summary>
    public string Remote { get; set; } = "";
    public string Branch { get; set; } = "main";
    public string AuthorName { get; set; } = "eNMS";
    public string AuthorEmail { get; set; } = "enms@localhost";
    /// <summary>Mirror configurations as they are, secrets included. Off by default: the mirror holds them masked.</summary>
    public bool IncludeSecrets { get; set; }
    /// <summary>Longest time one git command may take (a push to a slow remote included).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Mirrors the latest configuration of a backup run's devices into a Git repository: one file per device
/// (<c>&lt;device name&gt;.cfg</c>), one commit per run naming the run, service, user and changed devices, no commit
/// when nothing changed, then an optional push. The index file <see cref="IndexFile"/> remembers which file holds
/// which device, so a renamed device's file is renamed. Commits of one repository are serialised within this process
/// and across processes on the same host (a lock file); nodes of a cluster should each mirror into their own
/// repository (pushing to one remote from several nodes is not coordinated).
/// </summary>
public sealed class GitMirror(IDbContextFactory<EnmsDbContext> dbFactory, ConfigStore store, IOptionsMonitor<GitMirrorOptions> options, TimeProvider time)
{
    public const string IndexFile = ".enms-devices.json";
    private const string LockFile = "enms-mirror.lock";
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new(StringComparer.Ordinal);
    private static readonly JsonSerializerOptions IndexJson = new() { WriteIndented = true };

    public bool Enabled => options.CurrentValue.RepositoryPath.Trim().Length > 0;

    /// <summary>Commits the run's devices' latest configurations; returns the commit id, or null when nothing
    /// changed. A failed push is logged as a warning and does not throw; anything else that fails throws.</summary>
    public async Task<string?> MirrorRunAsync(Run run, Action<string, string> log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(log);
        var settings = options.CurrentValue;
        if (!Enabled)
        {
            return null;
        }
        var repository = Path.GetFullPath(settings.RepositoryPath.Trim());
        List<(int Id, string Name)> devices;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            devices = (await db.Devices.AsNoTracking().Where(d => run.DeviceIds.Contains(d.Id)).Select(d => new { d.Id, d.Name }).ToListAsync(ct))
                .Select(d => (d.Id, d.Name)).ToList();
        }
        // The mirror is the whole network's, not a user's view: no pool scope.
        var configs = (await store.LatestAsync(devices.Select(d => d.Id).ToList(), scopePoolIds: null, ct)).ToDictionary(v => v.DeviceId, v => v.Config);

        var gate = Locks.GetOrAdd(repository, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            var now = time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
            var git = new GitCli(repository, settings.CommandTimeout, new Dictionary<string, string>
            {
                ["GIT_AUTHOR_NAME"] = settings.AuthorName,
                ["GIT_AUTHOR_EMAIL"] = settings.AuthorEmail,
                ["GIT_COMMITTER_NAME"] = settings.AuthorName,
                ["GIT_COMMITTER_EMAIL"] = settings.AuthorEmail,
                ["GIT_AUTHOR_DATE"] = now,
                ["GIT_COMMITTER_DATE"] = now,
            });
            await InitAsync(git, settings.Branch, ct);
            await using var crossProcess = await LockAsync(repository, settings.CommandTimeout, ct);
            var remote = settings.Remote.Trim();
            if (HoldsPassword(remote))
            {
                // Refused before git sees it: `git remote add` would put the password on a command line.
                log("Git mirror: not pushed: the remote URL holds a password (Configurations:GitMirror:Remote); use a credential helper or an SSH key instead", "warning");
                remote = "";
            }
            await SetRemoteAsync(git, remote, ct);
            var written = await WriteFilesAsync(repository, devices.Where(d => configs.ContainsKey(d.Id)).ToList(), configs, settings.IncludeSecrets, ct);
            await git.RunAsync(ct, "add", "--all", ".");
            var changes = (await git.RunAsync(ct, "diff", "--cached", "--name-status", "-M", "-z")).Output;
            var changed = ChangedDevices(changes, written);
            if (changed.Count == 0)
            {
                log("Git mirror: no configuration changed, no commit", "info");
                return null;
            }
            await git.RunAsync(["commit", "--quiet", "--no-verify", "--no-gpg-sign", "-F", "-"], ct, Message(run, changed));
            var commit = (await git.RunAsync(ct, "rev-parse", "HEAD")).Output.Trim();
            log($"Git mirror: commit {commit[..Math.Min(12, commit.Length)]} with {changed.Count} changed device(s): {string.Join(", ", changed)}", "info");
            if (remote.Length > 0)
            {
                await PushAsync(git, settings.Branch, log, ct);
            }
            return commit;
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task InitAsync(GitCli git, string branch, CancellationToken ct)
    {
        Directory.CreateDirectory(git.Repository);
        if (!Directory.Exists(Path.Combine(git.Repository, ".git")))
        {
            await git.RunAsync(ct, "init", "--quiet", "--initial-branch", branch);
        }
    }

    private static async Task SetRemoteAsync(GitCli git, string remote, CancellationToken ct)
    {
        if (remote.Length == 0)
        {
            return;
        }
        var current = await git.RunAsync(["remote", "get-url", "origin"], ct, check: false);
        if (!current.Succeeded)
        {
            await git.RunAsync(ct, "remote", "add", "origin", remote);
        }
        else if (current.Output.Trim() != remote)
        {
            await git.RunAsync(ct, "remote", "set-url", "origin", remote);
        }
    }

    /// <summary>user:password@ in any URL, or any user part of an HTTP(S) URL (where it is usually a token); an
    /// SSH user name (git@…) is not a secret.</summary>
    private static bool HoldsPassword(string remote) =>
        Uri.TryCreate(remote, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
        && (uri.UserInfo.Contains(':', StringComparison.Ordinal) || uri.Scheme is "http" or "https");

    private static async Task PushAsync(GitCli git, string branch, Action<string, string> log, CancellationToken ct)
    {
        try
        {
            await git.RunAsync(ct, "push", "--quiet", "--porcelain", "origin", $"HEAD:refs/heads/{branch}");
            log($"Git mirror: pushed to origin/{branch}", "info");
        }
        catch (GitException e)
        {
            log($"Git mirror: the push to the remote failed; the commit stays in {git.Repository} and goes with the next push. {e.Message}", "warning");
        }
    }

    /// <summary>Writes each device's file (renaming it when the device was renamed) and the index; returns file →
    /// device name for the files written.</summary>
    private static async Task<Dictionary<string, string>> WriteFilesAsync(string repository, List<(int Id, string Name)> devices,
        Dictionary<int, string> configs, bool includeSecrets, CancellationToken ct)
    {
        var indexPath = Path.Combine(repository, IndexFile);
        var index = File.Exists(indexPath)
            ? JsonSerializer.Deserialize<Dictionary<int, string>>(await File.ReadAllTextAsync(indexPath, ct)) ?? []
            : [];
        var written = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, name) in devices)
        {
            var file = FileName(name);
            var taken = index.Where(e => e.Key != id).Select(e => e.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (taken.Contains(file))
            {
                file = FileName($"{name}-{id}");
            }
            if (index.TryGetValue(id, out var previous) && previous != file && File.Exists(Path.Combine(repository, previous)))
            {
                File.Delete(Path.Combine(repository, previous));
            }
            index[id] = file;
            var config = configs[id].Replace("\r\n", "\n", StringComparison.Ordinal);
            var text = includeSecrets ? config : ConfigMasking.MaskSecrets(config);
            await File.WriteAllTextAsync(Path.Combine(repository, file), text.EndsWith('\n') ? text : text + "\n", ct);
            written[file] = name;
        }
        await File.WriteAllTextAsync(indexPath, JsonSerializer.Serialize(new SortedDictionary<int, string>(index), IndexJson) + "\n", ct);
        return written;
    }

    /// <summary>A file name that is safe on every file system and cannot leave the repository or hide in .git:
    /// separators, reserved and control characters become '_', a leading dot too.</summary>
    public static string FileName(string deviceName)
    {
        ArgumentNullException.ThrowIfNull(deviceName);
        var safe = new StringBuilder(deviceName.Length);
        foreach (var c in deviceName.Trim())
        {
            safe.Append(char.IsControl(c) || "/\\:*?\"<>|".Contains(c, StringComparison.Ordinal) ? '_' : c);
        }
        var name = safe.ToString().TrimEnd('.', ' ');
        if (name.Length == 0 || name[0] == '.')
        {
            name = "_" + name;
        }
        return name + ".cfg";
    }

    /// <summary>The changed devices from <c>git diff --name-status -z</c> (the index file is not a device).</summary>
    private static List<string> ChangedDevices(string nameStatus, Dictionary<string, string> written)
    {
        var fields = nameStatus.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        var changed = new List<string>();
        for (var i = 0; i < fields.Length; i++)
        {
            var status = fields[i];
            var path = fields[++i];
            if (status[0] is 'R' or 'C')
            {
                var renamedTo = fields[++i];
                changed.Add($"{written.GetValueOrDefault(renamedTo, renamedTo)} (renamed from {path})");
                continue;
            }
            if (path == IndexFile)
            {
                continue;
            }
            var what = status[0] switch { 'A' => "added", 'D' => "removed", _ => "changed" };
            changed.Add($"{written.GetValueOrDefault(path, path)} ({what})");
        }
        return changed;
    }

    private static string Message(Run run, List<string> changed) =>
        $"Backup run #{run.Id} of \"{run.ServiceName}\" by {run.CreatedBy} ({run.Trigger}): {changed.Count} device(s) changed\n\n"
        + string.Join('\n', changed.Select(c => "- " + c)) + "\n";

    /// <summary>Serialises with other processes on this host mirroring into the same repository.</summary>
    private static async Task<FileStream> LockAsync(string repository, TimeSpan timeout, CancellationToken ct)
    {
        var path = Path.Combine(repository, ".git", LockFile);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                // Another process holds it: wait for it, within the command timeout.
            }
            try
            {
                await Task.Delay(100, limit.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new GitException($"Another process kept the lock {path} for more than {timeout.TotalSeconds:0} s.");
            }
        }
    }
}
