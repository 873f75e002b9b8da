using System.Globalization;
using System.Text;

namespace eNMS.Bench;

/// <summary>What the benchmarks report: one machine-readable line per measurement, and memory from /proc.</summary>
public static class Measure
{
    /// <summary>Prints <c>RESULT part key=value ...</c> (values without spaces; bench/report.py reads them).</summary>
    public static void Report(string part, params (string Key, object Value)[] values)
    {
        var line = new StringBuilder("RESULT ").Append(part);
        foreach (var (key, value) in values)
        {
            var text = value switch
            {
                double d => d.ToString("0.######", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString() ?? "",
            };
            line.Append(' ').Append(key).Append('=').Append(text.Replace(' ', '_'));
        }
        Console.WriteLine(line.ToString());
    }

    /// <summary>Peak resident memory (VmHWM) of a process, in MiB; 0 when /proc does not say.</summary>
    public static double PeakMemoryMiB(string pid = "self")
    {
        var status = File.Exists($"/proc/{pid}/status") ? File.ReadAllLines($"/proc/{pid}/status") : [];
        var line = status.FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    public static double Median(List<double> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        samples.Sort();
        return samples.Count == 0 ? 0 : samples.Count % 2 == 1 ? samples[samples.Count / 2] : (samples[samples.Count / 2 - 1] + samples[samples.Count / 2]) / 2;
    }
}
