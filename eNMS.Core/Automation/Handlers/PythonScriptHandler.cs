using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Processes;

namespace eNMS.Core.Automation.Handlers;

public sealed class PythonScriptParameters
{
    /// <summary>Python source; it reads one JSON document on stdin and prints one on stdout.</summary>
    public string Script { get; set; } = "";
    /// <summary>A JSON value (a Liquid template rendered per device) handed to the script as <c>arguments</c>.</summary>
    public string Arguments { get; set; } = "";
    /// <summary>Wall time the script may take, per device and attempt.</summary>
    public int TimeLimitSeconds { get; set; } = 30;
    /// <summary>Address space the interpreter may map (<c>prlimit --as</c>).</summary>
    public int MemoryLimitMb { get; set; } = 256;
    /// <summary>Hand the device's credential (username, password, enable secret) to the script. Off by default.</summary>
    public bool GrantSecrets { get; set; }
}

/// <summary>
/// <c>python_script</c>: runs Debian's <c>/usr/bin/python3 -I</c> (never a shim found on PATH) in a child process with
/// no inherited environment, under <c>prlimit</c> (address space, CPU time, no core file), with the device (no
/// secrets), run variables and inputs, the node's arguments and earlier results as JSON on stdin; its stdout must be
/// one JSON document, which becomes the result's data (<c>success</c>, <c>changed</c>, <c>error</c> keys optional).
/// The process tree is killed at the time limit or when the run is cancelled; stdout and stderr are read bounded.
/// Admin-only to create or change by default: a script runs as the server's user (<see cref="Execution.AutomationOptions.AdminOnlyKinds"/>).
/// </summary>
public sealed class PythonScriptHandler : ServiceHandler<PythonScriptParameters>
{
    /// <summary>A script given the device's credentials may log in and change it: freezes hold it; without them it cannot.</summary>
    protected override bool ChangesDevices(PythonScriptParameters p) => p.GrantSecrets;

    public const string Interpreter = "/usr/bin/python3";
    private const string Limiter = "/usr/bin/prlimit";
    public const int MaxScriptChars = 100_000;
    public const int MaxStdoutBytes = 4 * 1024 * 1024;
    private const int MaxStderrChars = 16_000;

    public override string Kind => "python_script";

    public override string Description => "Runs a Python script (python3, time and memory limits) with the device, inputs and earlier results as JSON; its JSON output is the result.";

    protected override PythonScriptParameters ExampleParameters => new()
    {
        Script = "import json, sys\ncontext = json.load(sys.stdin)\nprint(json.dumps({\"success\": True, \"hostname\": context[\"device\"][\"name\"].upper()}))\n",
    };

    protected override string? Validate(PythonScriptParameters p) =>
        string.IsNullOrWhiteSpace(p.Script) ? "Write the script."
            : p.Script.Length > MaxScriptChars ? $"The script is longer than {MaxScriptChars:N0} characters."
            : p.TimeLimitSeconds is < 1 or > 3600 ? "The time limit is 1–3600 seconds."
            : p.MemoryLimitMb is < 32 or > 16_384 ? "The memory limit is 32–16384 MB."
            : Templates.TemplateRenderer.Check(p.Arguments);

    protected override async Task<ServiceResult> ExecuteAsync(ServiceContext context, PythonScriptParameters p, CancellationToken ct)
    {
        if (!File.Exists(Interpreter) || !File.Exists(Limiter))
        {
            return ServiceResult.Fail($"{Interpreter} and {Limiter} are needed on this server (Debian packages python3 and util-linux).");
        }
        var arguments = await context.RenderAsync(p.Arguments);
        JsonNode? parsedArguments = null;
        if (arguments.Trim().Length > 0)
        {
            try
            {
                parsedArguments = JsonNode.Parse(arguments);
            }
            catch (JsonException e)
            {
                return ServiceResult.Fail($"The arguments are not JSON: {e.Message}");
            }
        }
        var input = await InputAsync(context, parsedArguments, p.GrantSecrets, ct);
        var directory = Directory.CreateTempSubdirectory("enms-python-");
        try
        {
            return await RunAsync(p, input, directory.FullName, ct);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<string> InputAsync(ServiceContext context, JsonNode? arguments, bool grantSecrets, CancellationToken ct)
    {
        var results = new JsonObject();
        foreach (var result in context.EarlierResults)
        {
            results[result.IsRunLevel ? result.ServiceName : result.Node] = new JsonObject
            {
                ["success"] = result.Success,
                ["changed"] = result.Changed,
                ["output"] = result.Output,
                ["data"] = ParseOrText(result.Data),
            };
        }
        var input = new JsonObject
        {
            ["device"] = context.Device is null ? null : JsonSerializer.SerializeToNode(RunScope.DeviceModel(context.Device), ServiceJson.Options),
            ["variables"] = ParseOrText(context.Run.Variables),
            ["inputs"] = context.Inputs.DeepClone(),
            ["arguments"] = arguments,
            ["iteration"] = context.Iteration is { } i ? new JsonObject { ["index"] = i.Index, ["value"] = JsonSerializer.SerializeToNode(i.Value, ServiceJson.Options) } : null,
            ["results"] = results,
            ["run"] = new JsonObject { ["id"] = context.Run.Id, ["trigger"] = context.Run.Trigger, ["node"] = context.Node },
        };
        if (grantSecrets && context.Device is { } device)
        {
            var credential = (await context.TargetAsync()).Credential;
            context.KeepSecret(credential.Secrets);
            input["credentials"] = new JsonObject
            {
                ["username"] = credential.Username,
                ["password"] = credential.Password,
                ["enableSecret"] = credential.EnableSecret,
            };
        }
        return input.ToJsonString();
    }

    private static JsonNode? ParseOrText(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static async Task<ServiceResult> RunAsync(PythonScriptParameters p, string input, string directory, CancellationToken ct)
    {
        var start = ChildProcess.Redirected(Limiter, directory, [
            $"--as={(long)p.MemoryLimitMb * 1024 * 1024}", $"--cpu={p.TimeLimitSeconds + 1}", "--core=0", "--",
            Interpreter, "-I", "-c", p.Script]);
        // Nothing of the server's environment (connection strings, ENMS_* secrets) reaches the script.
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/bin:/bin";
        start.Environment["HOME"] = directory;
        start.Environment["LANG"] = "C.UTF-8";
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(p.TimeLimitSeconds));
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Interpreter} did not start.");
        try
        {
            var stdout = ReadBoundedAsync(process.StandardOutput.BaseStream, MaxStdoutBytes, process);
            var stderr = ReadBoundedAsync(process.StandardError.BaseStream, MaxStderrChars * 4, process);
            await WriteInputAsync(process, input, limit.Token);
            await process.WaitForExitAsync(limit.Token);
            var (output, outputCut) = await stdout;
            var (errors, _) = await stderr;
            return Outcome(process.ExitCode, output, outputCut, Tail(errors));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            ChildProcess.KillTree(process);
            return ServiceResult.Fail($"The script was killed after its time limit of {p.TimeLimitSeconds} s.");
        }
        finally
        {
            ChildProcess.KillTree(process);
        }
    }

    private static async Task WriteInputAsync(Process process, string input, CancellationToken ct)
    {
        try
        {
            await process.StandardInput.BaseStream.WriteAsync(Encoding.UTF8.GetBytes(input), ct);
            await process.StandardInput.BaseStream.FlushAsync(ct);
        }
        catch (IOException)
        {
            // The script exited (or closed stdin) without reading all of it: its output says what it did.
        }
        finally
        {
            process.StandardInput.Close();
        }
    }

    /// <summary>Reads up to <paramref name="max"/> bytes; more kills the process (it would fill the server's memory).</summary>
    private static async Task<(string Text, bool Cut)> ReadBoundedAsync(Stream stream, int max, Process process)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk)) > 0)
        {
            if (buffer.Length + read > max)
            {
                buffer.Write(chunk, 0, (int)(max - buffer.Length));
                ChildProcess.KillTree(process);
                return (Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), true);
            }
            buffer.Write(chunk, 0, read);
        }
        return (Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), false);
    }

    private static string Tail(string text) =>
        text.Length <= MaxStderrChars ? text.Trim() : "[…]" + text[^MaxStderrChars..].Trim();

    private static ServiceResult Outcome(int exitCode, string output, bool outputCut, string errors)
    {
        var shown = errors.Length == 0 ? output : $"{output}\n--- stderr ---\n{errors}";
        if (outputCut)
        {
            return ServiceResult.Fail($"The script printed more than {MaxStdoutBytes:N0} bytes: it was stopped.", output: shown);
        }
        if (exitCode != 0)
        {
            var reason = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim();
            return ServiceResult.Fail(string.Create(CultureInfo.InvariantCulture,
                $"The script exited with code {exitCode}{(reason is null ? "" : $": {reason}")}"), output: shown);
        }
        JsonNode? data;
        try
        {
            data = output.Trim().Length == 0 ? throw new JsonException("it printed nothing") : JsonNode.Parse(output);
        }
        catch (JsonException e)
        {
            return ServiceResult.Fail($"The script's output is not JSON ({e.Message}): print one JSON document, e.g. print(json.dumps(result)).", output: shown);
        }
        var success = data is JsonObject o && o["success"] is JsonValue s && s.TryGetValue<bool>(out var flag) ? flag : true;
        var changed = data is JsonObject c && c["changed"] is JsonValue v && v.TryGetValue<bool>(out var ch) && ch;
        var error = data is JsonObject e2 && e2["error"] is JsonValue ev && ev.TryGetValue<string>(out var text) ? text : "";
        return success ? ServiceResult.Ok(output: shown, changed: changed, data: data)
            : ServiceResult.Fail(error.Length > 0 ? error : "The script reported success: false.", output: shown, data: data);
    }
}
