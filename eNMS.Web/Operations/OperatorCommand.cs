using eNMS.Core.Data;

namespace eNMS.Web.Operations;

/// <summary>
/// The commands an operator runs instead of starting the server:
/// <c>backup FILE</c> writes a backup of the configured instance (it may be running: the snapshot is consistent);
/// <c>restore FILE</c> restores one into the configured instance, which must be fresh and stopped. Settings after the
/// file name are the app's usual ones (<c>--Enms:DataDirectory=/srv/enms</c>).
/// </summary>
public sealed record OperatorCommand(string Verb, string File, string[] HostArgs)
{
    /// <summary>Null when the arguments start the server.</summary>
    public static OperatorCommand? Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] is not ("backup" or "restore"))
        {
            return null;
        }
        if (args.Length < 2 || args[1].StartsWith('-'))
        {
            throw new ArgumentException($"usage: {args[0]} FILE [--Setting=value ...]");
        }
        return new OperatorCommand(args[0], args[1], args[2..]);
    }

    /// <summary>Runs the command with the app's services (not started: no server, no scheduler, no migration).</summary>
    public async Task<int> RunAsync(IServiceProvider services, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(services);
        var backup = services.GetRequiredService<InstanceBackup>();
        var output = Console.Out;
        try
        {
            if (Verb == "backup")
            {
                var manifest = await backup.WriteAsync(File, ct);
                await output.WriteLineAsync($"Backed up the {manifest.Provider} database (migration {manifest.LastMigration}) and {manifest.KeyFiles} key file(s) to {Path.GetFullPath(File)}");
            }
            else
            {
                var manifest = await backup.RestoreAsync(File, ct);
                await output.WriteLineAsync($"Restored the backup of {manifest.CreatedAt:u} ({manifest.Provider}, {manifest.KeyFiles} key file(s)); start eNMS to use it.");
            }
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"{Verb} failed: {e.Message}");
            return 1;
        }
    }
}
