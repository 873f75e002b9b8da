using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms;

/// <summary>
/// Undoes a half-made configuration change after a failure, whatever state the connection was left in: on the same
/// connection while it is usable, else on a fresh one (<see cref="CliDriver.Reconnect"/>) once the broken one is closed. It never uses the caller's
/// token (a cancellation may be why it runs) but has its own time limit. When the undo fails too, the caller's failure
/// is replaced by one that says what could not be undone.
/// </summary>
internal static class ConfigUndo
{
    /// <summary>Runs <paramref name="undo"/> for <paramref name="failure"/>; returns when it worked, throws a
    /// <see cref="DeviceException"/> naming <paramref name="what"/> and both errors when it did not.</summary>
    public static async Task AfterFailureAsync<T>(T driver, Exception failure, string what,
        Func<T, CancellationToken, Task> undo) where T : CliDriver
    {
        var error = await TryAsync(driver, undo);
        if (error is not null)
        {
            var original = failure is DeviceException d ? d.Detail : failure.Message;
            throw new DeviceException(driver.Target.Name,
                $"{original}; then {what} failed too, so the device may keep part of the change: {error}", failure);
        }
    }

    /// <summary>Runs <paramref name="undo"/> as above; returns why it failed, or null.</summary>
    public static async Task<string?> TryAsync<T>(T driver, Func<T, CancellationToken, Task> undo) where T : CliDriver
    {
        var timeouts = driver.Target.Timeouts;
        using var limit = new CancellationTokenSource(timeouts.Connect + timeouts.Command * 2);
        if (driver.IsUsable)
        {
            try
            {
                await undo(driver, limit.Token);
                return null;
            }
            catch (Exception e) when (e is DeviceException or OperationCanceledException && !limit.IsCancellationRequested)
            {
                // The connection broke while undoing: a fresh one below.
            }
        }
        // The broken connection is closed first: a line still on its way there must not land after the undo.
        await driver.CloseIfUnusableAsync();
        if (driver.Reconnect is null)
        {
            return "the connection is unusable and no other can be opened";
        }
        try
        {
            await using var fresh = await driver.Reconnect(limit.Token);
            await undo((T)fresh, limit.Token);
            return null;
        }
        catch (Exception e) when (e is DeviceException or OperationCanceledException or NotSupportedException)
        {
            return limit.IsCancellationRequested ? "no answer in time" : e.Message;
        }
    }
}
