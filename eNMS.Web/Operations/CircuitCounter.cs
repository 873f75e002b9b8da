using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace eNMS.Web.Operations;

/// <summary>The Blazor circuits open on this node (one per browser tab): each holds server memory and a connection.</summary>
public sealed class CircuitMetrics
{
    public const string MeterName = "eNMS.Web";

    public CircuitMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        Open = meters.Create(MeterName).CreateUpDownCounter<long>("enms.circuits.active", "{circuit}", "Blazor circuits open on this node");
    }

    public UpDownCounter<long> Open { get; }
}

/// <summary>Counts a circuit while it is open (scoped: one per circuit).</summary>
public sealed class CircuitCounter(CircuitMetrics metrics) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        metrics.Open.Add(1);
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        metrics.Open.Add(-1);
        return Task.CompletedTask;
    }
}
