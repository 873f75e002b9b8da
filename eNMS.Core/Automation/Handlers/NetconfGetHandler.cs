using eNMS.Core.Automation.Execution;
using eNMS.Drivers.Netconf;

namespace eNMS.Core.Automation.Handlers;

/// <summary>What <c>netconf_get</c> reads: a configuration datastore (<c>get-config</c>) or configuration and state
/// (<c>get</c>).</summary>
public enum NetconfSource
{
    Running,
    Candidate,
    Startup,

    /// <summary><c>get</c>: the running configuration and the operational state.</summary>
    State,
}

public sealed class NetconfGetParameters
{
    public NetconfSource Source { get; set; } = NetconfSource.Running;
    public NetconfFilterType FilterType { get; set; } = NetconfFilterType.None;
    /// <summary>A subtree (XML) or an XPath expression; a Liquid template.</summary>
    public string Filter { get; set; } = "";
    /// <summary>The NETCONF port (a device's <c>netconf_port</c> property wins).</summary>
    public int Port { get; set; } = 830;
}

/// <summary><c>netconf_get</c>: <c>get-config</c> or <c>get</c> with an optional subtree or XPath filter. The output is
/// the data as indented XML; the result's data is the same as JSON (local names, lists for repeated elements) for
/// later nodes: <c>results['get'].data.interfaces.interface[0].name</c>.</summary>
public sealed class NetconfGetHandler : ServiceHandler<NetconfGetParameters>
{
    public override string Kind => "netconf_get";

    public override string Description => "Reads configuration or state over NETCONF, filtered by subtree or XPath (real devices only).";

    protected override NetconfGetParameters ExampleParameters => new() { FilterType = NetconfFilterType.Subtree, Filter = "<system xmlns=\"urn:ietf:params:xml:ns:yang:ietf-system\"/>" };

    protected override string? Validate(NetconfGetParameters p)
    {
        if (p.Port is < 1 or > 65535)
        {
            return "The port must be between 1 and 65535.";
        }
        if (p.FilterType != NetconfFilterType.None && string.IsNullOrWhiteSpace(p.Filter))
        {
            return $"Give the {p.FilterType} filter, or set the filter type to None.";
        }
        if (p.FilterType == NetconfFilterType.Subtree && !Templates.TemplateRenderer.IsTemplate(p.Filter))
        {
            try
            {
                NetconfPayloads.ParseFragment(p.Filter, "subtree filter");
            }
            catch (ArgumentException e)
            {
                return e.Message;
            }
        }
        return Templates.TemplateRenderer.Check(p.Filter);
    }

    protected override async Task<ServiceResult> ExecuteAsync(ServiceContext context, NetconfGetParameters p, CancellationToken ct)
    {
        var filter = NetconfFilter.From(p.FilterType, await context.RenderAsync(p.Filter));
        await using var session = await context.ConnectNetconfAsync(p.Port, ct);
        var netconf = session.Netconf;
        // Said plainly here: servers answer a filter type they lack with a bare rpc-error.
        if (filter?.Type == NetconfFilterType.XPath && !netconf.Supports(NetconfSession.XPathCapability))
        {
            return ServiceResult.Fail("The NETCONF server does not announce :xpath: use a subtree filter.");
        }
        var data = p.Source == NetconfSource.State
            ? await netconf.GetAsync(filter, ct)
            : await netconf.GetConfigAsync(Enum.Parse<NetconfDatastore>(p.Source.ToString()), filter, ct);
        return ServiceResult.Ok(NetconfXml.Indented(data), data: NetconfXml.ToModel(data));
    }
}
