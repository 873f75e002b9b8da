using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using eNMS.Core.Processes;
using eNMS.Drivers;
using Microsoft.Extensions.Logging;

namespace eNMS.Core.Ansible;


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
            var stdout = PumpAsync(process.StandardOutput, line => AnsibleEvents.OnEvent(line, invocation, hosts, log));
            var stderr = PumpAsync(process.StandardError, line =>
            {
                var text = invocation.Secrets.Redact(line);
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
        var start = ChildProcess.Redirected(Executable, root, ["-i", "inventory.json", "playbook.yml"]);
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
            var start = ChildProcess.Redirected("ssh-keygen", root, ["-p", "-q", "-N", "", "-f", keyFile]);
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
                ChildProcess.KillTree(process);
                throw;
            }
            var message = (await output + await errors).Trim();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"The credential's private key could not be decrypted with its passphrase (ssh-keygen: {SecretRedactor.Redact(message, [passphrase])}).");
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

    /// <summary>Kills ansible-playbook with its whole tree, then the daemons it detached (same run marker).</summary>
    private static void Kill(Process process, string marker)
    {
        ChildProcess.KillTree(process);
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
