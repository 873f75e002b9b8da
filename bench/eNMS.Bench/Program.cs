using eNMS.Bench;

// eNMS benchmarks: each part runs in its own process (so its peak memory is its own) and prints one line
// "RESULT part key=value ..." that bench/report.py turns into the tables of bench/RESULTS.md.
// Usage: see bench/run.sh, or `dotnet eNMS.Bench.dll help`.
return await BenchCommand.RunAsync(args);
