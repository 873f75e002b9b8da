using eNMS.Core;
using eNMS.Core.Data;
using eNMS.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddEnmsCore();
builder.AddEnmsWeb();

var app = builder.Build();
await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(app.Lifetime.ApplicationStopping);
app.UseEnmsWeb();
await app.RunAsync();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
