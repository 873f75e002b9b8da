using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace eNMS.Core.Ansible;

/// <summary>One ansible-playbook invocation: the playbook, inventory and variables it gets, and the secrets that
/// must never leave the temporary vars file.</summary>
public sealed record AnsibleInvocation(string Playbook, string Inventory)
{
    /// <summary>Host variables that carry secrets (ansible_password, …), per host; written to a 0600 file only.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> SecretHostVars { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();
    /// <summary>SSH private keys per host, written to 0600 files that the host's ansible_ssh_private_key_file names.</summary>
    public IReadOnlyDictionary<string, string> PrivateKeys { get; init; } = new Dictionary<string, string>();
    /// <summary>Passphrases of encrypted private keys, per host: the key is decrypted into its 0600 file (Ansible
    /// cannot ask for a passphrase), the passphrase itself only goes through a 0600 file to ssh-keygen.</summary>
    public IReadOnlyDictionary<string, string> KeyPassphrases { get; init; } = new Dictionary<string, string>();
    /// <summary>Extra variables as YAML or JSON (already rendered).</summary>
    public string ExtraVars { get; init; } = "";
    public string Tags { get; init; } = "";
    public string SkipTags { get; init; } = "";
    public string Limit { get; init; } = "";
    /// <summary>--check --diff: Ansible reports what it would change and changes nothing.</summary>
    public bool CheckMode { get; init; }
    /// <summary>known_hosts lines of the targets (checked against eNMS's host keys before the run).</summary>
    public IReadOnlyList<string> KnownHosts { get; init; } = [];
    /// <summary>Strings to replace by ******** in everything streamed or returned.</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];
}

/// <summary>One task's outcome on one host.</summary>
public sealed record AnsibleTaskResult(string Play, string Task, string Action, string Status, bool Changed, string Message, string Diff);

/// <summary>What Ansible did on one host: the recap counters and each task.</summary>
public sealed class AnsibleHostResult
{
    public int Ok { get; set; }
    public int Changed { get; set; }
    public int Failed { get; set; }
    public int Unreachable { get; set; }
    public int Skipped { get; set; }
    public int Rescued { get; set; }
    public int Ignored { get; set; }
    public List<AnsibleTaskResult> Tasks { get; } = [];
    public bool Success => Failed == 0 && Unreachable == 0;
}

public sealed record AnsibleOutcome(int ExitCode, IReadOnlyDictionary<string, AnsibleHostResult> Hosts, string Errors);

/// <summary>
/// Runs the real <c>ansible-playbook</c> in a private temporary directory (0700): the inventory, the playbook, the
/// credentials as a 0600 vars file and a known_hosts holding only the keys eNMS trusts. Events come back through the
/// <c>ansible.posix.jsonl</c> callback, one JSON line per event, streamed as they happen. Cancelling (a timeout, a
/// cancelled run) kills ansible-playbook, its workers and the persistent-connection daemons network_cli forks
/// (which leave the process tree: they are found by a marker in their environment). The directory is removed
/// afterwards whatever happened.
/// </summary>
public sealed class AnsibleRunner(ILogger<AnsibleRunner> logger)
{
    public const string Executable = "ansible-playbook";
    private const string RunMarker = "ENMS_ANSIBLE_RUN";
    private static readonly string[] StreamNames = ["stdout", "stderr"];

    public async Task<AnsibleOutcome> RunAsync(AnsibleInvocation invocation, Action<string, string> log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(log);
        var directory = Directory.CreateTempSubdirectory("enms-ansible-");
        var marker = Guid.NewGuid().ToString("N");
        Process? process = null;
        try
        {
            var root = directory.FullName;
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            var start = await PrepareAsync(invocation, root, marker, ct);
            process = Process.Start(start) ?? throw new InvalidOperationException($"{Executable} did not start.");
            logger.LogDebug("{Executable} {Arguments} started as {Pid}", Executable, string.Join(' ', start.ArgumentList), process.Id);
            var hosts = new Dictionary<string, AnsibleHostResult>(StringComparer.Ordinal);
            var errors = new StringBuilder();
            var stdout = PumpAsync(process.StandardOutput, line => OnEvent(line, invocation, hosts, log));
            var stderr = PumpAsync(process.StandardError, line =>
            {
                var text = Redact(line, invocation.Secrets);
                if (text.Trim().Length > 0)
                {
                    errors.AppendLine(text);
                    log(text, "warning");
                }
            });
            try
            {
                await process.WaitForExitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                Kill(process, marker);
                throw;
            }
            await Task.WhenAll(stdout, stderr);
            return new AnsibleOutcome(process.ExitCode, hosts, errors.ToString());
        }
        finally
        {
            if (process is not null)
            {
                Kill(process, marker);
                process.Dispose();
            }
            directory.Delete(recursive: true);
        }
    }

    private static async Task<ProcessStartInfo> PrepareAsync(AnsibleInvocation invocation, string root, string marker, CancellationToken ct)
    {
        var home = Directory.CreateDirectory(Path.Combine(root, "home"));
        var ssh = Directory.CreateDirectory(Path.Combine(home.FullName, ".ssh"));
        await File.WriteAllLinesAsync(Path.Combine(ssh.FullName, "known_hosts"), invocation.KnownHosts, ct);
        await File.WriteAllTextAsync(Path.Combine(root, "playbook.yml"), invocation.Playbook, ct);
        await File.WriteAllTextAsync(Path.Combine(root, "inventory.json"), invocation.Inventory, ct);
        // Secrets go to host_vars files that only this process's user can read: never an argument or environment
        // variable (both visible in /proc to other users), never the inventory.
        var hostVars = Directory.CreateDirectory(Path.Combine(root, "host_vars"));
        foreach (var (host, vars) in invocation.SecretHostVars)
        {
            var json = new JsonObject();
            foreach (var (name, value) in vars)
            {
                json[name] = value;
            }
            if (invocation.PrivateKeys.TryGetValue(host, out var key))
            {
                var keyFile = Path.Combine(root, HostVarsFileName(host) + ".key");
                await WritePrivateAsync(keyFile, key.EndsWith('\n') ? key : key + "\n", ct);
                if (invocation.KeyPassphrases.TryGetValue(host, out var passphrase) && passphrase.Length > 0)
                {
                    await DecryptKeyAsync(keyFile, passphrase, root, ct);
                }
                json["ansible_ssh_private_key_file"] = keyFile;
            }
            await WritePrivateAsync(Path.Combine(hostVars.FullName, HostVarsFileName(host)), json.ToJsonString(), ct);
        }
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("-i");
        start.ArgumentList.Add("inventory.json");
        start.ArgumentList.Add("playbook.yml");
        if (invocation.ExtraVars.Trim().Length > 0)
        {
            await WritePrivateAsync(Path.Combine(root, "extra_vars.yml"), invocation.ExtraVars, ct);
            start.ArgumentList.Add("--extra-vars");
            start.ArgumentList.Add("@extra_vars.yml");
        }
        AddOption(start, "--tags", invocation.Tags);
        AddOption(start, "--skip-tags", invocation.SkipTags);
        AddOption(start, "--limit", invocation.Limit);
        if (invocation.CheckMode)
        {
            start.ArgumentList.Add("--check");
            start.ArgumentList.Add("--diff");
        }
        var env = start.Environment;
        env["HOME"] = home.FullName;
        env[RunMarker] = marker;
        env["ANSIBLE_CONFIG"] = Path.Combine(root, "ansible.cfg"); // absent: no ansible.cfg of the server applies
        env["ANSIBLE_STDOUT_CALLBACK"] = "ansible.posix.jsonl";
        env["ANSIBLE_HOST_KEY_CHECKING"] = "True";
        env["ANSIBLE_PARAMIKO_LOOK_FOR_KEYS"] = "False";
        env["ANSIBLE_PARAMIKO_RECORD_HOST_KEYS"] = "False";
        env["ANSIBLE_RETRY_FILES_ENABLED"] = "False";
        env["ANSIBLE_NOCOLOR"] = "1";
        env["ANSIBLE_LOCAL_TEMP"] = Path.Combine(root, "tmp");
        env["ANSIBLE_PERSISTENT_CONTROL_PATH_DIR"] = Path.Combine(root, "pc");
        env["ANSIBLE_INVENTORY_ENABLED"] = "yaml";
        env["ANSIBLE_NETWORK_CLI_SSH_TYPE"] = "paramiko"; // Debian has no ansible-pylibssh: say so once here, not per host

        env["PYTHONUNBUFFERED"] = "1";
        return start;
    }

    /// <summary>host_vars/&lt;host&gt;.json; a host name with a path separator cannot escape the directory.</summary>
    private static string HostVarsFileName(string host) => host.Replace('/', '_').Replace('\0', '_') + ".json";

    private static async Task WritePrivateAsync(string path, string content, CancellationToken ct)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        await using var file = new FileStream(path, options);
        await file.WriteAsync(Encoding.UTF8.GetBytes(content), ct);
    }

    /// <summary>
    /// Rewrites the private key file without its passphrase (<c>ssh-keygen -p -N ""</c>). ssh-keygen reads the old
    /// passphrase through SSH_ASKPASS: a script that prints a 0600 file, removed right after, so the passphrase is
    /// never an argument or an environment variable.
    /// </summary>
    private static async Task DecryptKeyAsync(string keyFile, string passphrase, string root, CancellationToken ct)
    {
        var secretFile = keyFile + ".passphrase";
        var askpass = keyFile + ".askpass";
        await WritePrivateAsync(secretFile, passphrase, ct);
        await File.WriteAllTextAsync(askpass, $"#!/bin/sh\nexec cat '{secretFile.Replace("'", "'\\''", StringComparison.Ordinal)}'\n", ct);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(askpass, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }
        try
        {
            var start = new ProcessStartInfo("ssh-keygen")
            {
                WorkingDirectory = root,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "-p", "-q", "-N", "", "-f", keyFile })
            {
                start.ArgumentList.Add(argument);
            }
            start.Environment["SSH_ASKPASS"] = askpass;
            start.Environment["SSH_ASKPASS_REQUIRE"] = "force";
            start.Environment["DISPLAY"] = "none";
            using var process = Process.Start(start) ?? throw new InvalidOperationException("ssh-keygen did not start.");
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var errors = process.StandardError.ReadToEndAsync(ct);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                Kill(process, "");
                throw;
            }
            var message = (await output + await errors).Trim();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"The credential's private key could not be decrypted with its passphrase (ssh-keygen: {Redact(message, [passphrase])}).");
            }
        }
        finally
        {
            File.Delete(secretFile);
            File.Delete(askpass);
        }
    }

    private static void AddOption(ProcessStartInfo start, string option, string value)
    {
        if (value.Trim().Length > 0)
        {
            start.ArgumentList.Add(option);
            start.ArgumentList.Add(value.Trim());
        }
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> onLine)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            onLine(line);
        }
    }

    /// <summary>One jsonl event: recorded per host and streamed to the run log as one readable line.</summary>
    private static void OnEvent(string line, AnsibleInvocation invocation, Dictionary<string, AnsibleHostResult> hosts, Action<string, string> log)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(line);
        }
        catch (JsonException)
        {
            node = null;
        }
        if (node is not JsonObject e)
        {
            if (line.Trim().Length > 0)
            {
                log(Redact(line, invocation.Secrets), "info");
            }
            return;
        }
        var kind = (string?)e["_event"] ?? "";
        lock (hosts)
        {
            switch (kind)
            {
                case "v2_playbook_on_play_start":
                    log($"PLAY [{e["play"]?["name"]}]", "info");
                    break;
                case "v2_runner_on_ok" or "v2_runner_on_failed" or "v2_runner_on_unreachable" or "v2_runner_on_skipped":
                    RecordTask(kind["v2_runner_on_".Length..], e, invocation, hosts, log);
                    break;
                case "v2_playbook_on_stats":
                    foreach (var (host, stats) in e["stats"]?.AsObject() ?? [])
                    {
                        var result = HostResult(hosts, host);
                        result.Ok = Count(stats, "ok");
                        result.Changed = Count(stats, "changed");
                        result.Failed = Count(stats, "failures");
                        result.Unreachable = Count(stats, "unreachable");
                        result.Skipped = Count(stats, "skipped");
                        result.Rescued = Count(stats, "rescued");
                        result.Ignored = Count(stats, "ignored");
                        log($"RECAP {host}: ok={result.Ok} changed={result.Changed} unreachable={result.Unreachable} failed={result.Failed} skipped={result.Skipped}", result.Success ? "info" : "error");
                    }
                    break;
            }
        }
    }

    private static void RecordTask(string status, JsonObject e, AnsibleInvocation invocation, Dictionary<string, AnsibleHostResult> hosts, Action<string, string> log)
    {
        var task = (string?)e["task"]?["name"] ?? "";
        foreach (var (host, value) in e["hosts"]?.AsObject() ?? [])
        {
            if (value is not JsonObject r)
            {
                continue;
            }
            var changed = r["changed"] is JsonValue c && c.TryGetValue<bool>(out var b) && b;
            var shown = status == "ok" && changed ? "changed" : status;
            var message = Redact(Message(r), invocation.Secrets);
            var diff = Redact(Diff(r), invocation.Secrets);
            HostResult(hosts, host).Tasks.Add(new AnsibleTaskResult((string?)e["play"]?["name"] ?? "", task, (string?)r["action"] ?? "", shown, changed, message, diff));
            log($"TASK [{task}] {host}: {shown}{(message.Length > 0 ? " — " + message : "")}", status is "failed" or "unreachable" ? "error" : "info");
        }
    }

    /// <summary>The task's message (msg) and what its command printed (stdout, stderr), whichever it has.</summary>
    private static string Message(JsonObject r)
    {
        var msg = r["msg"] switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            null => "",
            JsonNode other => other.ToJsonString(),
        };
        var parts = StreamNames.Select(k => (string?)(r[k] as JsonValue)).Prepend(msg).Where(s => !string.IsNullOrEmpty(s));
        return string.Join('\n', parts!);
    }

    /// <summary>--diff output: before/after texts or a prepared diff, as one unified-looking text.</summary>
    private static string Diff(JsonObject r)
    {
        var diffs = r["diff"] switch
        {
            JsonArray list => list.OfType<JsonObject>().ToList(),
            JsonObject one => [one],
            _ => [],
        };
        var text = new StringBuilder();
        foreach (var d in diffs)
        {
            if ((string?)(d["prepared"] as JsonValue) is { Length: > 0 } prepared)
            {
                text.AppendLine(prepared);
            }
            else if (d["before"] is JsonValue before && d["after"] is JsonValue after)
            {
                var header = (string?)(d["after_header"] as JsonValue) ?? "";
                text.AppendLine("--- before " + header).AppendLine("+++ after " + header);
                foreach (var l in Text.LineDiff.Compare(before.ToString(), after.ToString()).Where(l => l.Kind != Text.DiffKind.Same))
                {
                    text.AppendLine((l.Kind == Text.DiffKind.Added ? "+ " : "- ") + l.Text);
                }
            }
        }
        return text.ToString().TrimEnd();
    }

    private static AnsibleHostResult HostResult(Dictionary<string, AnsibleHostResult> hosts, string host) =>
        hosts.TryGetValue(host, out var result) ? result : hosts[host] = new AnsibleHostResult();

    private static int Count(JsonNode? stats, string name) => stats?[name] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0;

    public static string Redact(string text, IReadOnlyList<string> secrets)
    {
        foreach (var secret in secrets)
        {
            if (secret.Length > 0)
            {
                text = text.Replace(secret, "********", StringComparison.Ordinal);
            }
        }
        return text;
    }

    /// <summary>Kills ansible-playbook with its whole tree, then the daemons it detached (same run marker).</summary>
    private static void Kill(Process process, string marker)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
        foreach (var pid in ProcessesMarked(marker))
        {
            try
            {
                using var orphan = Process.GetProcessById(pid);
                orphan.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Gone already.
            }
        }
    }

    private static List<int> ProcessesMarked(string marker)
    {
        var needle = Encoding.UTF8.GetBytes($"{RunMarker}={marker}\0");
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }
            try
            {
                if (File.ReadAllBytes(Path.Combine(dir, "environ")).AsSpan().IndexOf(needle) >= 0)
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not ours, or gone.
            }
        }
        return found;
    }
}
