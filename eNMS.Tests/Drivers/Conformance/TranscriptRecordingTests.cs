using System.Runtime.CompilerServices;
using System.Text.Json;
using eNMS.Drivers;
using eNMS.Drivers.Cli;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Drivers.Conformance;

/// <summary>
/// Records the sessions <see cref="RecordedSessionTests"/> replays, from the lab, into Drivers/Transcripts.
/// Runs only with ENMS_RECORD_TRANSCRIPTS=1: <c>ENMS_RECORD_TRANSCRIPTS=1 dotnet test --filter TranscriptRecording</c>.
/// </summary>
[Collection(LabGroup.Name)]
public class TranscriptRecordingTests(LabFixture lab)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [RecordFact]
    public async Task Record_the_sessions_replayed_by_unit_tests()
    {
        lab.RequireLab();
        var credential = new DeviceCredential("enmslab", LabFixture.Password) { EnableSecret = LabFixture.EnableSecret };

        await RecordAsync("frr/show_version.txt", LabFixture.Router(1), async d =>
        {
            await d.SendCommandAsync("show version", None);
            await Assert.ThrowsAsync<DeviceCommandException>(() => d.SendCommandAsync("show bogus", None));
        });
        await RecordAsync("cisco_ios/paging.txt", new DeviceTarget("ios-240", "10.255.128.240", "cisco_ios", credential), async d =>
        {
            await d.SendCommandAsync("terminal length 24", None);
            await d.SendCommandAsync("show logging", None);
        });
        await RecordAsync("juniper_junos/merge_commit.txt", new DeviceTarget("junos-240", "10.255.176.240", "juniper_junos", credential), async d =>
        {
            await d.LoadCandidateAsync("routing-options {\n    static {\n        route 203.0.113.0/24 discard;\n    }\n}\n", ConfigLoadMode.Merge, None);
            await d.CompareAsync(None);
            await d.CommitAsync(None);
            await d.GetRunningConfigAsync(None);
        });
        await RecordAsync("arista_eos/replace_commit_rollback.txt", new DeviceTarget("eos-240", "10.255.160.240", "arista_eos", credential), async d =>
        {
            await d.LoadCandidateAsync("hostname eos-rec\ninterface Ethernet1\n description replaced\n", ConfigLoadMode.Replace, None);
            await d.CompareAsync(None);
            await d.CommitAsync(None);
            await d.GetRunningConfigAsync(None);
            await d.RollbackAsync(None);
            await d.GetRunningConfigAsync(None);
        });
    }

    [RecordFact]
    public async Task Record_the_failures_replayed_by_unit_tests()
    {
        lab.RequireLab();
        var credential = new DeviceCredential("enmslab", LabFixture.Password) { EnableSecret = LabFixture.EnableSecret };

        await RecordAsync("juniper_junos/load_refused.txt", new DeviceTarget("junos-241", "10.255.176.241", "juniper_junos", credential), async d =>
        {
            await Assert.ThrowsAsync<DeviceCommandException>(() => d.LoadCandidateAsync(RecordedFailureTests.JunosRefused, ConfigLoadMode.Merge, None));
            await d.CompareAsync(None);
        });
        await RecordAsync("arista_eos/refused_line_aborts.txt", new DeviceTarget("eos-241", "10.255.160.241", "arista_eos", credential), async d =>
        {
            await Assert.ThrowsAsync<DeviceCommandException>(() => d.LoadCandidateAsync(RecordedFailureTests.EosRefused, ConfigLoadMode.Merge, None));
            await d.SendCommandAsync("show configuration sessions", None);
        });
        await RecordAsync("arista_eos/session_limit.txt", new DeviceTarget("eos-242", "10.255.160.242", "arista_eos", credential), async d =>
        {
            await RecordedFailureTests.AbandonFiveSessionsAsync(d);
            await d.LoadCandidateAsync("ip route 203.0.113.0/24 Null0", ConfigLoadMode.Merge, None);
            await d.CommitAsync(None);
            await d.SendCommandAsync("show configuration sessions", None);
        });
        await RecordAsync("cisco_nxos/refused_line_rolls_back.txt", new DeviceTarget("nxos-241", "10.255.144.241", "cisco_nxos", credential), async d =>
        {
            await d.LoadCandidateAsync(RecordedFailureTests.NxosRefused, ConfigLoadMode.Merge, None);
            await Assert.ThrowsAsync<DeviceCommandException>(() => d.CommitAsync(None));
            await d.SendCommandAsync("show checkpoint summary", None);
        });
    }

    private async Task RecordAsync(string file, DeviceTarget target, Func<IDeviceDriver, Task> scenario, [CallerFilePath] string source = "")
    {
        var log = new List<string>();
        var factory = new DriverFactory(DriverRegistry.CreateDefault(), lab.KnownHosts)
        {
            OpenShell = async (t, ct) => new RecordingShell(await SshShell.ConnectAsync(t, lab.KnownHosts, ct), log, [.. t.Credential.Secrets]),
        };
        await using (var driver = await factory.ConnectAsync(target, None))
        {
            await scenario(driver);
        }
        var path = Path.Combine(Path.GetDirectoryName(source)!, "..", "Transcripts", file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllLinesAsync(path, log);
    }

    /// <summary>Passes everything through and logs it: "&lt; chunk" received, "&gt; text" sent, as JSON strings.</summary>
    private sealed class RecordingShell(IShell inner, List<string> log, string[] secrets) : IShell
    {
        public async ValueTask WriteAsync(string text, CancellationToken ct)
        {
            log.Add("> " + JsonSerializer.Serialize(Redact(text)));
            await inner.WriteAsync(text, ct);
        }

        public async ValueTask<string?> ReadAsync(CancellationToken ct)
        {
            var chunk = await inner.ReadAsync(ct);
            if (chunk is not null)
            {
                log.Add("< " + JsonSerializer.Serialize(Redact(chunk)));
            }
            return chunk;
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();

        private string Redact(string text) =>
            secrets.Aggregate(text, (t, s) => t.Replace(s, "********", StringComparison.Ordinal));
    }
}

/// <summary>Runs only when ENMS_RECORD_TRANSCRIPTS=1 (it rewrites recorded fixtures).</summary>
public sealed class RecordFactAttribute : FactAttribute
{
    public RecordFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("ENMS_RECORD_TRANSCRIPTS") != "1")
        {
            Skip = "set ENMS_RECORD_TRANSCRIPTS=1 to record transcripts from the lab";
        }
        else if (LabFactAttribute.Skipped)
        {
            Skip = "ENMS_TEST_SKIP contains 'lab'";
        }
    }
}
