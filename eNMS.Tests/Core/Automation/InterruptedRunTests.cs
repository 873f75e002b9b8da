using System.Net;
using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Core.Automation;

public sealed class InterruptedRunTests
{
    [Fact]
    public async Task A_run_in_flight_at_restart_is_marked_interrupted_and_resumes_only_the_devices_not_done()
    {
        int runId, serviceId;
        List<int> devices;
        var directory = Directory.CreateTempSubdirectory("enms-restart-").FullName;
        var first = new EnmsAppFactory(dataDirectory: directory);
        await using (first)
        {
            var api = new AutomationClient(await first.CreateClientAsync("admin"));
            devices = await api.CreateDevicesAsync("done-device", "pending-device");
            serviceId = await api.CreateServiceAsync("step", "test_step", new { });
            // What the database holds when the process dies mid-run: a Running run with one device finished.
            var dbFactory = first.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>();
            await using var db = await dbFactory.CreateDbContextAsync();
            var run = new Run { ServiceId = serviceId, ServiceName = "step", Status = RunStatus.Running, DeviceIds = devices, DevicesTotal = 2 };
            db.Runs.Add(run);
            await db.SaveChangesAsync();
            db.RunResults.Add(new RunResult { RunId = run.Id, ServiceId = serviceId, DeviceId = devices[0], DeviceName = "done-device", Success = true });
            await db.SaveChangesAsync();
            runId = run.Id;
        }

        await using var second = new EnmsAppFactory(dataDirectory: directory);
        var restarted = new AutomationClient(await second.CreateClientAsync("admin"));
        var interrupted = await restarted.WaitAsync(runId);
        Assert.Equal(RunStatus.Interrupted, interrupted.Status);
        Assert.Contains("1 device(s) not done: pending-device", interrupted.Error, StringComparison.Ordinal);

        var resumed = await AutomationClient.Read(await restarted.Http.PostAsync($"/api/runs/{runId}/resume", null), HttpStatusCode.Accepted);
        var resumedRun = await restarted.WaitAsync((int)resumed["runId"]!);
        Assert.Equal(RunStatus.Completed, resumedRun.Status);
        Assert.Equal(["pending-device"], (await restarted.ResultsAsync(resumedRun.Id)).Select(r => r.DeviceName));
        await second.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }
}
