using System.Text.Json.Serialization;
using eNMS.Web.Api;
using eNMS.Web.Components;
using MudBlazor.Services;

namespace eNMS.Web;

public static class WebServiceCollectionExtensions
{
    /// <summary>Blazor Server with MudBlazor, the REST API's JSON and OpenAPI, RFC 7807 errors.</summary>
    public static IHostApplicationBuilder AddEnmsWeb(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        return builder;
    }

    public static WebApplication UseEnmsWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapOpenApi();
        app.MapGroup("/api").MapInventoryEndpoints().MapInventoryFileEndpoints().MapAutomationEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
