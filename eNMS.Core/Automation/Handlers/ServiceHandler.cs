using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using eNMS.Core.Automation.Execution;

namespace eNMS.Core.Automation.Handlers;

/// <summary>What one service did on one device (or once): the Nornir-style per-host result.</summary>
public sealed record ServiceResult(bool Success, string Output = "", bool Changed = false, object? Data = null, string Diff = "", string Error = "")
{
    public static ServiceResult Ok(string output = "", bool changed = false, object? data = null, string diff = "") =>
        new(true, output, changed, data, diff);

    public static ServiceResult Fail(string error, string output = "", object? data = null, string diff = "") =>
        new(false, output, false, data, diff, error);
}

/// <summary>One kind of service (<c>cli_commands</c>, <c>config_backup</c>, …): its parameters and what it does.</summary>
public interface IServiceHandler
{
    string Kind { get; }

    /// <summary>What the kind does, in one line: the palette and the "new service" form show it.</summary>
    string Description { get; }

    Type ParametersType { get; }

    /// <summary>Parameters showing how the kind is used (runnable on the demo network where the kind can be): a new
    /// service of this kind starts from them.</summary>
    JsonObject Example();

    /// <summary>Why these parameters are unusable, or null.</summary>
    string? Validate(string parametersJson);

    /// <summary>Whether a service of this kind with these parameters changes devices (a push, a rollback, a save, an
    /// upload): change freezes hold such services, not read-only ones.</summary>
    bool ChangesDevices(string parametersJson) => false;

    /// <summary>Whether it changes the device's running configuration through the CLI in a way a replace with the
    /// configuration from before can undo (a push, a deploy, a rollback, a playbook): such nodes keep a change snapshot
    /// first (see <c>ChangeSnapshots</c>). A save, an upload, a script or a NETCONF edit do not.</summary>
    bool ChangesConfiguration(string parametersJson) => false;

    Task<ServiceResult> ExecuteAsync(ServiceContext context, CancellationToken ct);
}

public static class ServiceJson
{
    /// <summary>How service parameters, results' data and run variables are (de)serialized.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}

/// <summary>A handler with typed parameters, read from the service's JSON.</summary>
public abstract class ServiceHandler<TParameters> : IServiceHandler where TParameters : class, new()
{
    public abstract string Kind { get; }

    public abstract string Description { get; }

    public Type ParametersType => typeof(TParameters);

    protected abstract TParameters ExampleParameters { get; }

    public JsonObject Example() => JsonSerializer.SerializeToNode(ExampleParameters, ServiceJson.Options) as JsonObject ?? [];

    public string? Validate(string parametersJson)
    {
        try
        {
            return Validate(Parse(parametersJson));
        }
        catch (JsonException e)
        {
            return $"The parameters of a {Kind} service are not valid: {e.Message}";
        }
    }

    public Task<ServiceResult> ExecuteAsync(ServiceContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ExecuteAsync(context, Parse(context.Service.Parameters), ct);
    }

    public bool ChangesDevices(string parametersJson) => Decide(parametersJson, ChangesDevices);

    public bool ChangesConfiguration(string parametersJson) => Decide(parametersJson, ChangesConfiguration);

    private static bool Decide(string parametersJson, Func<TParameters, bool> decision)
    {
        try
        {
            return decision(Parse(parametersJson));
        }
        catch (JsonException)
        {
            // Unreadable parameters are refused by validation; until then, treat the service as the kind's default.
            return decision(new TParameters());
        }
    }

    protected virtual string? Validate(TParameters parameters) => null;

    /// <summary>See <see cref="IServiceHandler.ChangesDevices"/>; a kind that changes devices overrides it.</summary>
    protected virtual bool ChangesDevices(TParameters parameters) => false;

    /// <summary>See <see cref="IServiceHandler.ChangesConfiguration"/>.</summary>
    protected virtual bool ChangesConfiguration(TParameters parameters) => false;

    protected abstract Task<ServiceResult> ExecuteAsync(ServiceContext context, TParameters parameters, CancellationToken ct);

    private static TParameters Parse(string json) =>
        string.IsNullOrWhiteSpace(json) ? new TParameters() : JsonSerializer.Deserialize<TParameters>(json, ServiceJson.Options) ?? new TParameters();
}
