using System.Globalization;

namespace eNMS.Bench;

/// <summary>The command line: one part per invocation, options as <c>--name value</c>.</summary>
public static class BenchCommand
{
    private const string Usage = """
        eNMS.Bench PART [--option value ...]
          engine    --provider Sqlite|Postgres [--connection CS] --data DIR [--devices 1000] [--nodes 20] [--parallel 50]
          workbook  --out FILE.xlsx [--devices 10000] [--links 10000]
          import    --file FILE.xlsx --data DIR
          grid      --data DIR [--devices 100000] [--repeat 20]
          fanout    --url URL --data DIR --hosts FILE --platform KEY --user U --password P [--enable S] [--parallel 50] [--label L]
          nodes     --urls URL,... --pids PID,... --names NODE,... --provider Postgres --connection CS --data DIR --hosts FILE
                    --platform KEY --user U --password P [--enable S] [--parallel 5] [--label L] [--pg-pid PID]
          ui        --url URL --data DIR --view topology|map|designer [--devices N] [--links N] [--nodes 200] [--pan-seconds 3]
          viewers   --url URL --data DIR --pid SERVER_PID [--viewers 200] [--devices 10000] [--nodes 5]
          history   --data DIR [--days 365] [--runs-per-day 200] [--big-devices 5000] [--nodes 20] [--repeat 20]
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        var options = Options.Parse(args.Skip(1));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        try
        {
            switch (args[0])
            {
                case "engine":
                    await EngineBench.RunAsync(options, cancel.Token);
                    break;
                case "workbook":
                    WorkbookGenerator.Write(options.Required("out"), options.Number("devices", 10_000), options.Number("links", 10_000));
                    break;
                case "import":
                    await ImportBench.RunAsync(options, cancel.Token);
                    break;
                case "grid":
                    await GridBench.RunAsync(options, cancel.Token);
                    break;
                case "fanout":
                    await FanoutBench.RunAsync(options, cancel.Token);
                    break;
                case "nodes":
                    await NodesBench.RunAsync(options, cancel.Token);
                    break;
                case "ui":
                    await UiBench.RunAsync(options, cancel.Token);
                    break;
                case "viewers":
                    await ViewersBench.RunAsync(options, cancel.Token);
                    break;
                case "history":
                    await HistoryBench.RunAsync(options, cancel.Token);
                    break;
                default:
                    Console.Error.WriteLine($"Unknown part '{args[0]}'.\n{Usage}");
                    return 2;
            }
            return 0;
        }
        catch (BenchException e)
        {
            Console.Error.WriteLine($"bench {args[0]}: {e.Message}");
            return 1;
        }
    }
}

/// <summary>A benchmark that cannot produce a trustworthy figure says why instead.</summary>
public sealed class BenchException(string message) : Exception(message);

/// <summary><c>--name value</c> pairs.</summary>
public sealed class Options(Dictionary<string, string> values)
{
    public static Options Parse(IEnumerable<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string? name = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                name = arg[2..];
                values[name] = "";
            }
            else if (name is not null)
            {
                values[name] = arg;
                name = null;
            }
            else
            {
                throw new BenchException($"'{arg}' is not an option (expected --name value).");
            }
        }
        return new Options(values);
    }

    public string Required(string name) =>
        values.TryGetValue(name, out var value) && value.Length > 0 ? value : throw new BenchException($"--{name} is required.");

    public string Text(string name, string fallback) => values.TryGetValue(name, out var value) && value.Length > 0 ? value : fallback;

    public int Number(string name, int fallback) =>
        !values.TryGetValue(name, out var value) ? fallback
            : int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
            : throw new BenchException($"--{name} must be a positive whole number, not '{value}'.");
}
