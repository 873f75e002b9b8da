using eNMS.Core;
using eNMS.Core.Data;
using eNMS.Web;
using eNMS.Web.Operations;

// "backup FILE" and "restore FILE" run against the configured instance and exit; anything else starts the server.
var command = OperatorCommand.Parse(args);
var builder = WebApplication.CreateBuilder(command?.HostArgs ?? args);
builder.AddEnmsCore();
builder.AddEnmsWeb();

var app = builder.Build();
if (command is not null)
{
    return await command.RunAsync(app.Services, app.Lifetime.ApplicationStopping);
}
await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(app.Lifetime.ApplicationStopping);
app.UseEnmsWeb();
await app.RunAsync();
return 0;

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
