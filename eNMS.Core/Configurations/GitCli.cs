using System.Diagnostics;
using eNMS.Core.Processes;

namespace eNMS.Core.Configurations;

/// <summary>What one git command printed and how it ended.</summary>
public sealed record GitResult(int ExitCode, string Output, string Errors)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>A git command that failed: its arguments (never a credential) and what git said.</summary>
public sealed class GitException(string message) : Exception(message);

/// <summary>
/// Runs the <c>git</c> CLI in one repository: arguments as a list (no shell), no prompt (a remote that wants a
/// password fails instead of waiting for one), a timeout that kills the whole process tree, stable English messages.
/// </summary>
public sealed class GitCli(string repository, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
{
    public const string Executable = "git";

    public string Repository { get; } = repository;

    /// <summary>Runs git; a non-zero exit throws <see cref="GitException"/> unless <paramref name="check"/> is false.</summary>
    public async Task<GitResult> RunAsync(IReadOnlyList<string> arguments, CancellationToken ct, string? input = null, bool check = true)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = ChildProcess.Redirected(Executable, Repository, arguments);
        var env = start.Environment;
        env["GIT_TERMINAL_PROMPT"] = "0";
        // No askpass program either: credentials come from a credential helper or an SSH key set up for the
        // service account, never from eNMS.
        env["GIT_ASKPASS"] = "true";
        env["SSH_ASKPASS"] = "true";
        env["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes";
        env["LC_ALL"] = "C";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            env[name] = value;
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        using var process = Process.Start(start) ?? throw new GitException($"{Executable} did not start.");
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await WriteInputAsync(process, input, limit.Token);
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            ChildProcess.KillTree(process);
            ct.ThrowIfCancellationRequested();
            throw new GitException($"git {Describe(arguments)} did not finish within {timeout.TotalSeconds:0} s (killed).");
        }
        var result = new GitResult(process.ExitCode, await output, await errors);
        if (check && !result.Succeeded)
        {
            throw new GitException($"git {Describe(arguments)} failed (exit {result.ExitCode}): {result.Errors.Trim()}");
        }
        return result;
    }

    public Task<GitResult> RunAsync(CancellationToken ct, params string[] arguments) => RunAsync(arguments, ct);

    /// <summary>The command for messages: its first arguments (a long path list is cut).</summary>
    private static string Describe(IReadOnlyList<string> arguments) =>
        string.Join(' ', arguments.Take(4)) + (arguments.Count > 4 ? " …" : "");

    private static async Task WriteInputAsync(Process process, string? input, CancellationToken ct)
    {
        try
        {
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), ct);
            }
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // git exited before reading its input: its exit code and messages say why.
        }
    }
}
