using eNMS.Drivers.Cli;
using eNMS.Drivers.Config;

namespace eNMS.Drivers.Platforms;

/// <summary>
/// HP ProCurve / ArubaOS-Switch: lines apply as they are typed and the switch has no candidate, so a push reads the
/// running configuration first and, when a line is refused, the push is cancelled or the connection dies, sends the
/// commands that turn the configuration back into it (<see cref="ConfigInverse"/>, as a revert does) — on a new connection
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

    /// <summary>Back to <paramref name="before"/> by the inverse changes (<see cref="ConfigInverse"/>: a port's context
    /// is emptied, not removed; the old hostname replaces the new one).</summary>
    private async Task RestoreAsync(string before, CancellationToken ct)
    {
        var negation = Negation!;
        var commands = ConfigInverse.Commands(ConfigInverse.Parse(await GetRunningConfigAsync(ct), negation),
            ConfigInverse.Parse(before, negation), negation);
        if (commands.Count > 0)
        {
            await base.SendConfigAsync(commands, ct);
        }
    }
}
