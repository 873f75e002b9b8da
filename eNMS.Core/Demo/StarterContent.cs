using System.Text.Json;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Handlers;
using eNMS.Core.Automation.Workflows;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Scheduling;
using eNMS.Core.Security;

namespace eNMS.Core.Demo;

/// <summary>
/// The services, workflows and schedule a fresh demo install starts with: what a network team uses on day one,
/// each runnable as it is on the demo devices (the simulator answers every platform) and described, so a newcomer
/// can run one on devices picked on the map and then read how it is built. Seeded with the demo network only.
/// </summary>
public static class StarterContent
{
    /// <summary>The workflow a newcomer is pointed to first.</summary>
    public const string ComplianceWorkflow = "Compliance: NTP server (check and fix)";

    private const string NtpServer = "10.0.0.123";

    /// <summary>Liquid that picks the Junos form of a statement or command and the Cisco-style one elsewhere.</summary>
    private static string PerPlatform(string junos, string others) =>
        $"{{% if device.platform == \"juniper_junos\" %}}{junos}{{% else %}}{others}{{% endif %}}";

    /// <summary>Adds the starter services, then the workflows that chain them and the nightly backup's schedule.
    /// Returns the schedule, for Quartz to be given its trigger.</summary>
    public static async Task<Schedule> SeedAsync(EnmsDbContext db, IReadOnlyList<Device> devices, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(devices);
        List<int> everyDevice = [.. devices.Select(d => d.Id)];
        var showVersion = Service("Show version", "cli_commands", "Reads the software version and uptime of every device (run it on a lasso selection to narrow it).",
            new CliCommandsParameters { Commands = "show version" }, everyDevice);
        var backup = Service("Back up configuration", "config_backup",
            "Stores each device's running configuration as a new version when it changed; runs every night on every device (schedule \"Nightly backup\").",
            new ConfigBackupParameters(), everyDevice);
        var readNtp = Service("Read NTP servers", "cli_commands", "Shows the NTP server lines of the running configuration.",
            new CliCommandsParameters { Commands = PerPlatform("show configuration | match server", "show running-config | include ntp server") });
        var checkNtp = Service("Check NTP server", "data_validation", $"Fails a device whose configuration does not name the NTP server {NtpServer}.",
            new DataValidationParameters { Source = "read", Checks = [new ValidationCheck { Kind = CheckKind.Contains, Value = NtpServer }] });
        var fixNtp = Service("Configure NTP server", "cli_config", $"Adds the NTP server {NtpServer} (the remediation of the compliance check).",
            new CliConfigParameters { Config = PerPlatform($"set system ntp server {NtpServer}", $"ntp server {NtpServer}") });
        var location = PerPlatform("set snmp location {{ device.location }}", "snmp-server location {{ device.location }}");
        var previewLocation = Service("Preview SNMP location (dry run)", "cli_config",
            "Shows, per device, the difference setting the SNMP location to the device's city would make; changes nothing.",
            new CliConfigParameters { Config = location, DryRun = true });
        var setLocation = Service("Set SNMP location", "cli_config", "Sets the SNMP location to the device's city (one commit, undone by \"Roll back the last change\").",
            new CliConfigParameters { Config = location });
        var readLocation = Service("Read SNMP location", "cli_commands", "Shows the SNMP location line of the running configuration.",
            new CliCommandsParameters { Commands = PerPlatform("show configuration | match location", "show running-config | include snmp-server location") });
        var checkLocation = Service("Check SNMP location", "data_validation", "Fails a device whose SNMP location is not its city.",
            new DataValidationParameters { Source = "read", Checks = [new ValidationCheck { Kind = CheckKind.Contains, Value = "{{ device.location }}" }] });
        var rollback = Service("Roll back the last change", "config_rollback", "Undoes the device's last commit (what a failed change's workflow runs on its failure branch).",
            new ConfigRollbackParameters());
        var bootImage = Service("Set the boot image", "cli_config",
            "Points the device at the new software image. On real devices, copy the image first (file_transfer) and use your platform's upgrade commands.",
            new CliConfigParameters { Config = PerPlatform("set system boot-image enms-demo-23.4R1", "boot system flash:enms-demo-17.12.bin") });
        var reload = Service("Wait for the reload", "wait", "Gives the device time to reload on its new image.", new WaitParameters { Seconds = 2 });
        var sshUp = Service("Check SSH answers", "tcp_port", "Fails a device that does not accept SSH connections.", new TcpPortParameters { Port = 22 });
        db.Services.AddRange(showVersion, backup, readNtp, checkNtp, fixNtp, previewLocation, setLocation, readLocation, checkLocation, rollback, bootImage, reload, sshUp);
        await db.SaveChangesAsync(ct);

        var compliance = Workflow(ComplianceWorkflow,
            $"Reads each device's NTP servers and checks that {NtpServer} is among them; a device that fails the check goes down the failure edge and gets it configured.",
            [("read", readNtp), ("check", checkNtp), ("fix", fixNtp)],
            [("read", "check", EdgeKind.Success), ("check", "fix", EdgeKind.Failure)]);
        var change = Workflow("Change: SNMP location (preview, apply, validate, roll back)",
            "A change as a team makes it: a dry run records the diff per device, the change is applied, read back and checked; a device whose check fails is rolled back on the failure branch.",
            [("preview", previewLocation), ("apply", setLocation), ("read", readLocation), ("check", checkLocation), ("rollback", rollback)],
            [("preview", "apply", EdgeKind.Success), ("apply", "read", EdgeKind.Success), ("read", "check", EdgeKind.Success),
             ("read", "rollback", EdgeKind.Failure), ("check", "rollback", EdgeKind.Failure)]);
        var upgrade = Workflow("OS upgrade (pre-checks, boot image, reload, post-checks)",
            "Backs up the configuration and records the version, sets the new boot image, waits for the reload, then checks SSH and the version; a device that fails a post-check is rolled back.",
            [("backup", backup), ("version", showVersion), ("boot", bootImage), ("reload", reload), ("ssh", sshUp), ("after", showVersion), ("rollback", rollback)],
            [("backup", "version", EdgeKind.Success), ("version", "boot", EdgeKind.Success), ("boot", "reload", EdgeKind.Success),
             ("reload", "ssh", EdgeKind.Success), ("ssh", "after", EdgeKind.Success), ("ssh", "rollback", EdgeKind.Failure), ("after", "rollback", EdgeKind.Failure)]);

        var nightly = new Schedule
        {
            Name = "Nightly backup",
            Description = "Backs up every device at 02:00 UTC.",
            ServiceId = backup.Id,
            ServiceName = backup.Name,
            Kind = ScheduleKind.Cron,
            Cron = "0 0 2 * * ?",
            TimeZone = "UTC",
            // A schedule runs with its creator's pools: the first admin's (all devices), seeded before the demo.
            CreatedBy = AccountSeeder.AdminUserName,
            CreatedAt = now,
        };
        db.Services.AddRange(compliance, change, upgrade);
        db.Schedules.Add(nightly);
        await db.SaveChangesAsync(ct);
        return nightly;
    }

    private static Service Service(string name, string kind, string description, object parameters, List<int>? deviceIds = null) => new()
    {
        Name = name,
        Kind = kind,
        Description = description,
        Parameters = JsonSerializer.Serialize(parameters, parameters.GetType(), ServiceJson.Options),
        DeviceIds = deviceIds ?? [],
    };

    private static Service Workflow(string name, string description, (string Id, Service Service)[] nodes, (string From, string To, EdgeKind Kind)[] edges)
    {
        var graph = new WorkflowGraph
        {
            Start = nodes[0].Id,
            Nodes = [.. nodes.Select(n => new WorkflowNode { Id = n.Id, ServiceId = n.Service.Id })],
            Edges = [.. edges.Select(e => new WorkflowEdge { From = e.From, To = e.To, Kind = e.Kind })],
        };
        WorkflowLayout.Arrange(graph);
        return new Service { Name = name, Kind = ServiceHandlers.WorkflowKind, Description = description, Graph = graph };
    }
}
