using eNMS.Core.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace eNMS.Web.Security;

/// <summary>Sets <see cref="AuditActor.Current"/> for each event a circuit handles, so saves made from the UI are
/// recorded under the signed-in user (the address is the one the circuit connected from).</summary>
internal sealed class AuditActorCircuitHandler(AuthenticationStateProvider states, IHttpContextAccessor http) : CircuitHandler
{
    private string? _ip;

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _ip = http.HttpContext?.Connection.RemoteIpAddress?.ToString();
        return Task.CompletedTask;
    }

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            var user = (await states.GetAuthenticationStateAsync()).User;
            AuditActor.Current = user.ActorOf(_ip);
            await next(context);
        };
}
