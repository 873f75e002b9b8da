using eNMS.Drivers.Cli;
using eNMS.Drivers.Config;

namespace eNMS.Drivers.Platforms;

/// <summary>
/// HP ProCurve / ArubaOS-Switch: lines apply as they are typed and the switch has no candidate, so a push reads the
/// running configuration first and, when a line is refused, the push is cancelled or the connection dies, sends the
/// commands that turn the configuration back into it (removals negated, as FRR's replace does) — on a new connection
/// if needed (<see cref="ConfigUndo"/>).
/// </summary>
public sealed class HpProcurveDriver(CliSession session, PlatformProfile platform) : CliDriver(session, platform)
{
    public override async Task<string> SendConfigAsync(IEnumerable<string> lines, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var before = await GetRunningConfigAsync(ct);
        try
        {
            return await base.SendConfigAsync(lines, ct);
        }
        catch (Exception failure) when (failure is DeviceException or OperationCanceledException)
        {
            await ConfigUndo.AfterFailureAsync(this, failure, "undoing the lines applied before it", (d, t) => d.RestoreAsync(before, t));
            if (failure is DeviceConnectionException or DeviceTimeoutException)
            {
                throw LostWith((DeviceException)failure, "; what it had applied was undone over a new connection: the configuration is as before");
            }
            throw;
        }
    }

    private async Task RestoreAsync(string before, CancellationToken ct)
    {
        var target = ConfigTree.Parse(before, IsComment);
        var now = ConfigTree.Parse(await GetRunningConfigAsync(ct), IsComment);
        // A port's context cannot be removed ("no interface 9" is refused): it leaves the configuration once its
        // settings are back to their defaults, so the undo goes inside it.
        var ports = now.Where(n => n.Line.StartsWith("interface ", StringComparison.Ordinal) && !target.Any(t => t.Line == n.Line))
            .Select(n => new ConfigNode(n.Line, []));
        var commands = ConfigTree.ReplaceCommands(now, [.. target, .. ports], Negate)
            // The old hostname replaces the new one; "no hostname" would first rename the prompt to the default.
            .Where(c => !c.StartsWith("no hostname ", StringComparison.Ordinal))
            .ToList();
        if (commands.Count > 0)
        {
            await base.SendConfigAsync(commands, ct);
        }
    }

    /// <summary>"; J9773A Configuration Editor; Created on release #...", "; Ver #...": the switch's comments.</summary>
    private static bool IsComment(string line) => line.StartsWith(';');

    private static string Negate(string line) => line.StartsWith("no ", StringComparison.Ordinal) ? line[3..] : "no " + line;
}
