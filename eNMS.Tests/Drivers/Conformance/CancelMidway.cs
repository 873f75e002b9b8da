using eNMS.Drivers;

namespace eNMS.Tests.Drivers.Conformance;

/// <summary>Cancels a push in the middle, as a run cancelled by its user does.</summary>
public static class CancelMidway
{
    /// <summary>Pushes <paramref name="lines"/>, cancels once <paramref name="line"/> is on its way (a device under the
    /// "slow" fault echoes it 16 bytes at a time) and expects the push to end cancelled.</summary>
    public static async Task PushAsync(IDeviceDriver driver, string[] lines, string line)
    {
        ArgumentNullException.ThrowIfNull(driver);
        using var cancel = new CancellationTokenSource();
        var push = driver.SendConfigAsync(lines, cancel.Token);
        while (!driver.Transcript.Contains(line, StringComparison.Ordinal) && !push.IsCompleted)
        {
            await Task.Delay(10);
        }
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => push);
    }
}
