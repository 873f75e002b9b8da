using eNMS.Core.Automation.Execution;
using eNMS.Core.Automation.Handlers;
using eNMS.Core.Automation.Templates;
using eNMS.Core.Automation.Workflows;
using eNMS.Core.Configurations;
using eNMS.Drivers;
using eNMS.Drivers.Cli;
using eNMS.Drivers.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace eNMS.Core.Automation;

public static class AutomationServiceCollectionExtensions
{
    /// <summary>Registers a service kind: one handler class, one line.</summary>
    public static IServiceCollection AddServiceHandler<THandler>(this IServiceCollection services) where THandler : class, IServiceHandler =>
        services.AddSingleton<IServiceHandler, THandler>();

    internal static IServiceCollection AddAutomation(this IServiceCollection services)
    {
        services.AddOptions<AutomationOptions>().BindConfiguration("Automation");
        services.AddOptions<OutboundOptions>().BindConfiguration("Automation:Outbound");
        services.AddOptions<TemplateLimits>().BindConfiguration("Automation:Templates");
        services.AddOptions<SmtpOptions>().BindConfiguration("Automation:Smtp");
        services.AddOptions<ConfigurationOptions>().BindConfiguration("Configurations");
        services.AddOptions<GitMirrorOptions>().BindConfiguration("Configurations:GitMirror");

        services.AddSingleton(DriverRegistry.CreateDefault());
        services.AddSingleton(s => new KnownHosts(HostKeyPolicy.TrustOnFirstUse, s.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new DeviceSimulator(sp.GetRequiredService<TimeProvider>())
        {
            CommandDelay = sp.GetRequiredService<IOptions<AutomationOptions>>().Value.SimulatorCommandDelay,
            Cabling = Demo.DemoNetwork.Cabling(),
        });
        services.AddSingleton(sp => new DriverFactory(sp.GetRequiredService<DriverRegistry>(), sp.GetRequiredService<KnownHosts>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<DeviceSimulator>())
        {
            Netconf = new Drivers.Netconf.NetconfOptions { MaxReplyBytes = sp.GetRequiredService<IOptions<AutomationOptions>>().Value.NetconfMaxReplyBytes },
        });
        // Across the cluster's nodes when runs are distributed (ClusterLeases registered), else in this process.
        services.AddSingleton(sp => new PlatformLimits(sp.GetRequiredService<IOptions<AutomationOptions>>().Value.PlatformLimits, sp.GetService<ClusterLeases>()));

        services.AddSingleton<TemplateRenderer>();
        services.AddSingleton<ConfigStore>();
        services.AddSingleton<ChangeSnapshots>();
        services.AddSingleton<Ansible.PlaybookLibrary>();
        services.AddSingleton<Ansible.AnsibleRunner>();
        services.AddSingleton<ConfigSearch>();
        services.AddSingleton<ComplianceChecker>();
        services.AddSingleton<ConfigActions>();
        services.AddSingleton<GitMirror>();
        services.AddSingleton<Terminal.WebTerminals>();
        services.AddSingleton(sp => new OutboundHttp(sp.GetRequiredService<IOptionsMonitor<OutboundOptions>>()));
        services.AddSingleton<DeviceTargets>();
        services.AddSingleton<HostKeyStore>();
        services.AddSingleton<ServiceHandlers>();
        services.AddSingleton<ServiceSecrets>();
        services.AddSingleton<RunInputs>();
        services.AddSingleton<ServiceEditor>();
        services.AddSingleton<WorkflowTransfer>();
        services.AddSingleton<RunNotifier>();
        services.AddSingleton<RunDispatcher>();
        services.AddSingleton<Scheduling.ChangeFreezes>();
        services.AddSingleton<RunLauncher>();
        services.AddSingleton<RunExecutor>();
        services.AddSingleton<RunSlots>();
        services.AddSingleton<RunWaits>();
        services.AddSingleton<RunMetrics>();
        services.AddOptions<RetentionOptions>().BindConfiguration("Retention");
        services.AddSingleton<RunRetention>();
        // Not a hosted service: a scheduler listener (see AddScheduling), it looks after Quartz's own recovery.
        services.AddSingleton<RunRecovery>();
        services.AddSingleton<Approvals.ApprovalGate>();

        services.AddServiceHandler<CliCommandsHandler>();
        services.AddServiceHandler<GettersHandler>();
        services.AddServiceHandler<CliConfigHandler>();
        services.AddServiceHandler<ConfigBackupHandler>();
        services.AddServiceHandler<ConfigSaveHandler>();
        services.AddServiceHandler<ConfigDeployHandler>();
        services.AddServiceHandler<ConfigRollbackHandler>();
        services.AddServiceHandler<PingHandler>();
        services.AddServiceHandler<TcpPortHandler>();
        services.AddServiceHandler<RestCallHandler>();
        services.AddServiceHandler<DataValidationHandler>();
        services.AddServiceHandler<WaitHandler>();
        services.AddServiceHandler<NotificationHandler>();
        services.AddServiceHandler<AnsiblePlaybookHandler>();
        services.AddServiceHandler<NetconfGetHandler>();
        services.AddServiceHandler<NetconfEditHandler>();
        services.AddServiceHandler<FileTransferHandler>();
        services.AddServiceHandler<PythonScriptHandler>();
        services.AddServiceHandler<ApprovalHandler>();
        return services;
    }
}
