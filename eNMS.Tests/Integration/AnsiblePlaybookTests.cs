using System.Net;
using System.Net.Http.Json;
using eNMS.Core.Automation;
using eNMS.Tests.TestSupport;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Integration;

/// <summary>The <c>ansible_playbook</c> service running the real ansible-playbook against the lab's Linux hosts and
/// FRR routers: per-device results, check mode, a failing host, credentials kept out of everything, timeouts.</summary>
[Collection(LabGroup.Name)]
public sealed class AnsiblePlaybookTests(LabFixture lab) : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new();
    private AutomationClient _api = null!;

    public async Task InitializeAsync()
    {
        Prerequisites.Require("ansible", File.Exists("/usr/bin/ansible-playbook"), "Debian packages ansible and python3-paramiko");
        _api = new AutomationClient(await _app.CreateClientAsync("admin"));
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<int> DeviceAsync(DeviceTargetLike target, string pool = "")
    {
        var credential = await AutomationClient.Read(await _api.Http.PostAsJsonAsync("/api/credentials", new
        {
            name = $"cred-{target.Name}-{Guid.NewGuid():N}",
            username = target.Username,
            password = target.Password,
        }), HttpStatusCode.Created);
        var device = await AutomationClient.Read(await _api.Http.PostAsJsonAsync("/api/devices", new
        {
            name = target.Name,
            address = target.Host,
            platform = target.Platform,
            credentialId = (int)credential["id"]!,
            customProperties = new[] { new { name = "site code", kind = "Text", value = $"site-of-{target.Name}" } },
        }), HttpStatusCode.Created);
        return (int)device["id"]!;
    }

    private async Task<int> PlaybookAsync(string content)
    {
        var saved = await AutomationClient.Read(await _api.Http.PostAsJsonAsync("/api/playbooks",
            new { name = $"pb-{Guid.NewGuid():N}", content }), HttpStatusCode.Created);
        return (int)saved["playbookId"]!;
    }

    private async Task<(Run Run, List<RunResult> Results, string Log)> RunAsync(int serviceId, params int[] devices)
    {
        var run = await _api.WaitAsync(await _api.RunAsync(serviceId, devices), seconds: 180);
        var log = await _api.Http.GetStringAsync($"/api/runs/{run.Id}/logs");
        return (run, await _api.ResultsAsync(run.Id), log);
    }

    [LabFact]
    public async Task A_playbook_runs_on_each_linux_host_with_its_inventory_vars_and_check_mode_changes_nothing()
    {
        lab.RequireLab();
        var h1 = await DeviceAsync(DeviceTargetLike.From(LabFixture.LinuxHost(1)));
        var h2 = await DeviceAsync(DeviceTargetLike.From(LabFixture.LinuxHost(2)));
        var marker = $"/tmp/ansible-marker-{Guid.NewGuid():N}";
        var playbook = await PlaybookAsync("""
            - hosts: all
              gather_facts: false
              tasks:
                - name: addresses
                  command: ip -4 -o addr show
                  changed_when: false
                - name: write a file
                  tags: [files]
                  copy:
                    dest: "{{ marker_dir }}-{{ inventory_hostname }}"
                    content: "{{ greeting }} from {{ site_code }} on {{ enms_address }}\n"
            """);
        var service = await _api.CreateServiceAsync("ansible", "ansible_playbook", new
        {
            playbookId = playbook,
            extraVars = $"marker_dir: {marker}\ngreeting: hello {{{{ device.name }}}}",
            dryRun = true,
        });

        var (dryRun, dryResults, _) = await RunAsync(service, h1, h2);

        Assert.Equal(RunStatus.Completed, dryRun.Status);
        Assert.All(dryResults, r => Assert.True(r.Success, r.Error));
        Assert.All(dryResults, r => Assert.False(File.Exists($"{marker}-{r.DeviceName}"), "check mode wrote a file"));
        Assert.Contains($"+ hello h1 from site-of-h1 on 10.255.0.101", dryResults.Single(r => r.DeviceName == "h1").Diff, StringComparison.Ordinal);

        var real = await _api.CreateServiceAsync("ansible-real", "ansible_playbook", new
        {
            playbookId = playbook,
            extraVars = $"marker_dir: {marker}\ngreeting: hello {{{{ device.name }}}}",
        });
        var (run, results, log) = await RunAsync(real, h1, h2);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(2, results.Count);
        foreach (var (name, address) in new[] { ("h1", "10.255.0.101"), ("h2", "10.255.0.102") })
        {
            var result = results.Single(r => r.DeviceName == name);
            Assert.True(result.Success, result.Error);
            Assert.True(result.Changed);
            Assert.Contains(address, result.Output, StringComparison.Ordinal);
            Assert.Contains("\"changed\":1", result.Data, StringComparison.Ordinal);
            Assert.Equal($"hello {name} from site-of-{name} on {address}\n", await File.ReadAllTextAsync($"{marker}-{name}"));
            File.Delete($"{marker}-{name}");
        }
        Assert.Contains("TASK [write a file] h2: changed", log, StringComparison.Ordinal);
        Assert.DoesNotContain(LabFixture.Password, log + string.Concat(results.Select(r => r.Output + r.Data + r.Error)), StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(Path.GetTempPath(), "enms-ansible-*"));
    }

    [LabFact]
    public async Task A_passphrase_protected_key_logs_in_and_its_passphrase_appears_nowhere()
    {
        lab.RequireLab();
        const string passphrase = "key-passphrase-for-ansible";
        var keyFile = Path.Combine(lab.LabDir, $"ansible_key_{Guid.NewGuid():N}");
        // The test's own key generation is the only place the passphrase is an argument.
        using (var keygen = System.Diagnostics.Process.Start("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", passphrase, "-f", keyFile])!)
        {
            await keygen.WaitForExitAsync();
            Assert.Equal(0, keygen.ExitCode);
        }
        var key = await File.ReadAllTextAsync(keyFile);
        Assert.Contains("BEGIN OPENSSH PRIVATE KEY", key, StringComparison.Ordinal);
        await File.AppendAllTextAsync(Path.Combine(lab.LabDir, "authorized_keys"), await File.ReadAllTextAsync(keyFile + ".pub"));
        var host = LabFixture.LinuxHost(2);
        var credential = await AutomationClient.Read(await _api.Http.PostAsJsonAsync("/api/credentials", new
        {
            name = $"key-{Guid.NewGuid():N}",
            username = host.Credential.Username,
            privateKey = key,
            passphrase,
        }), HttpStatusCode.Created);
        var device = (int)(await AutomationClient.Read(await _api.Http.PostAsJsonAsync("/api/devices", new
        {
            name = host.Name,
            address = host.Host,
            platform = host.Platform,
            credentialId = (int)credential["id"]!,
        }), HttpStatusCode.Created))["id"]!;
        var playbook = await PlaybookAsync("""
            - hosts: all
              gather_facts: false
              tasks:
                - name: who
                  command: id -un
                  changed_when: false
            """);
        var service = await _api.CreateServiceAsync("ansible-key", "ansible_playbook", new { playbookId = playbook });

        var (run, results, log) = await RunAsync(service, device);

        var result = Assert.Single(results);
        Assert.True(run.Status == RunStatus.Completed && result.Success, $"{run.Status}: {result.Error}\n{log}");
        Assert.Contains(host.Credential.Username, result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(passphrase, log + result.Output + result.Data + result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(Path.GetTempPath(), "enms-ansible-*"));
        File.Delete(keyFile);
        File.Delete(keyFile + ".pub");
    }

    [LabFact]
    public async Task A_failing_host_fails_alone_and_tags_and_limit_select_what_runs()
    {
        lab.RequireLab();
        var h1 = await DeviceAsync(DeviceTargetLike.From(LabFixture.LinuxHost(1)));
        var h2 = await DeviceAsync(DeviceTargetLike.From(LabFixture.LinuxHost(2)));
        var playbook = await PlaybookAsync("""
            - hosts: all
              gather_facts: false
              tasks:
                - name: tagged
                  tags: [probe]
                  command: echo tagged-ran
                - name: broken on h2
                  command: "{{ 'false' if inventory_hostname == 'h2' else 'true' }}"
            """);
        var service = await _api.CreateServiceAsync("ansible", "ansible_playbook", new { playbookId = playbook });

        var (run, results, _) = await RunAsync(service, h1, h2);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.True(results.Single(r => r.DeviceName == "h1").Success);
        var failed = results.Single(r => r.DeviceName == "h2");
        Assert.False(failed.Success);
        Assert.Contains("[broken on h2]", failed.Error, StringComparison.Ordinal);

        var tagged = await _api.CreateServiceAsync("tagged", "ansible_playbook", new { playbookId = playbook, tags = "probe", limit = "h1" });
        var (taggedRun, taggedResults, _) = await RunAsync(tagged, h1, h2);
        Assert.Equal(RunStatus.Completed, taggedRun.Status);
        var ran = taggedResults.Single(r => r.DeviceName == "h1");
        Assert.Contains("tagged-ran", ran.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("broken on h2", ran.Output, StringComparison.Ordinal);
        Assert.Contains("No task ran on h2", taggedResults.Single(r => r.DeviceName == "h2").Output, StringComparison.Ordinal);
    }

    [LabFact]
    public async Task A_playbook_talks_to_an_FRR_router_through_network_cli()
    {
        lab.RequireLab();
        var router = await DeviceAsync(DeviceTargetLike.From(LabFixture.Router(1)));
        var playbook = await PlaybookAsync("""
            - hosts: all
              gather_facts: false
              tasks:
                - name: version
                  ansible.netcommon.cli_command:
                    command: show version
            """);
        var service = await _api.CreateServiceAsync("ansible-frr", "ansible_playbook", new { playbookId = playbook });

        var (_, results, _) = await RunAsync(service, router);

        var result = Assert.Single(results);
        Assert.True(result.Success, result.Error + result.Output);
        Assert.Contains("FRRouting", result.Output, StringComparison.Ordinal);
    }

    [LabFact]
    public async Task A_timeout_kills_ansible_and_leaves_no_process_nor_files()
    {
        lab.RequireLab();
        var h1 = await DeviceAsync(DeviceTargetLike.From(LabFixture.LinuxHost(1)));
        var playbook = await PlaybookAsync("""
            - hosts: all
              gather_facts: false
              tasks:
                - name: slow
                  command: sleep 120
            """);
        var service = await _api.CreateServiceAsync("ansible-slow", "ansible_playbook", new { playbookId = playbook }, new { timeoutSeconds = 8 });

        var (_, results, _) = await RunAsync(service, h1);

        var result = Assert.Single(results);
        Assert.False(result.Success);
        Assert.Contains("Timed out", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(Path.GetTempPath(), "enms-ansible-*"));
        Assert.DoesNotContain(Directory.EnumerateDirectories("/proc"), dir =>
        {
            try
            {
                return File.ReadAllText(Path.Combine(dir, "environ")).Contains("ENMS_ANSIBLE_RUN=", StringComparison.Ordinal);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        });
    }
}
