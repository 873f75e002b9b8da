using System.Text.Json.Serialization;
using eNMS.Core.Security;
using eNMS.Web.Api;
using eNMS.Web.Components;
using eNMS.Web.Operations;
using eNMS.Web.Security;
using MudBlazor.Services;

namespace eNMS.Web;

public static class WebServiceCollectionExtensions
{
    /// <summary>Blazor Server with MudBlazor, sign-in and authorization, the REST API's JSON and OpenAPI, RFC 7807 errors.</summary>
    public static IHostApplicationBuilder AddEnmsWeb(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.AddEnmsSecurity();
        builder.AddEnmsOperations();
        // Outside Development no exception detail reaches a client: ProblemDetails carry the status and title only.
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddOptions<RequestLimits>().BindConfiguration("Api:Limits");
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        return builder;
    }

    public static WebApplication UseEnmsWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // First: everything after (rate limits, audit, cookies, the cross-site check) sees the client as the proxy saw it.
        app.UseTrustedProxies();
        // Which node answered: operators see it behind the load balancer, and the cluster test pins a browser with it.
        var node = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<eNMS.Core.Scheduling.SchedulingOptions>>().Value.Node;
        app.Use((context, next) =>
        {
            context.Response.Headers["X-Enms-Node"] = node;
            return next(context);
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSecurityHeaders();
        if (app.Configuration.GetValue<bool>("Security:HttpsRedirection"))
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }
        app.UseRequestBounds();
        app.UseRouting();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseForcedPasswordChange();
        app.UseAuditActor();
        app.UseCrossSiteRequestGuard();
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        app.MapOpenApi();
        app.MapAccountEndpoints();
        app.UseEnmsOperations();
        app.MapGroup("/api").RequireAuthorization(Policies.Read).RequireRateLimiting(SecurityServiceCollectionExtensions.ApiRateLimit)
            .MapInventoryEndpoints().MapInventoryFileEndpoints().MapDiscoveryEndpoints().MapAutomationEndpoints().MapScheduleEndpoints().MapFreezeEndpoints().MapApprovalEndpoints().MapAnsibleEndpoints().MapConfigurationEndpoints().MapParsingEndpoints().MapAuditEndpoints().MapViewEndpoints()
            .MapUserEndpoints()
            .MapGroupEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
