using System.Diagnostics;
using System.Text;

namespace eNMS.Core.Processes;

/// <summary>How eNMS starts the programs it drives (git, ansible-playbook, ssh-keygen): no shell, arguments as a list
/// (nothing a user typed is ever parsed by a shell), every stream redirected, UTF-8; and how it stops them.</summary>
public static class ChildProcess
{
    public static ProcessStartInfo Redirected(string executable, string workingDirectory, IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return start;
    }

    /// <summary>Kills the process with every child it started; nothing when it has exited already.</summary>
    public static void KillTree(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
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
    }
}
