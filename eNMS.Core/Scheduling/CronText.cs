using System.Globalization;

namespace eNMS.Core.Scheduling;

/// <summary>A Quartz cron expression in English words: "At 02:30, Monday through Friday", "Every 5 minutes".
/// Covers what people write (numbers, lists, ranges, steps, names, L, ?); anything rarer is shown field by field.</summary>
public static class CronText
{
    private static readonly string[] Days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

    public static string Describe(string cron)
    {
        var f = (cron ?? "").Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length is < 6 or > 7)
        {
            return cron ?? "";
        }
        var (sec, min, hour, dom, month, dow) = (f[0], f[1], f[2], f[3], f[4], f[5]);
        var parts = new List<string> { Time(sec, min, hour) };
        // "every day" says nothing more for what fires several times an hour or a day.
        if (Day(dom, dow) is { Length: > 0 } day && !(day == "every day" && hour == "*"))
        {
            parts.Add(day);
        }
        if (month is not ("*" or "?"))
        {
            parts.Add("in " + List(month, v => Name(v, MonthNames, 1, CultureInfo.InvariantCulture.DateTimeFormat.MonthNames), "month"));
        }
        if (f.Length == 7 && f[6] is not ("*" or "?"))
        {
            parts.Add("in " + List(f[6], v => v, "year"));
        }
        return string.Join(", ", parts);
    }

    private static string Time(string sec, string min, string hour)
    {
        if (IsNumber(sec) && IsNumber(min) && IsNumber(hour))
        {
            return sec == "0" ? $"At {int.Parse(hour, CultureInfo.InvariantCulture):00}:{int.Parse(min, CultureInfo.InvariantCulture):00}"
                : $"At {int.Parse(hour, CultureInfo.InvariantCulture):00}:{int.Parse(min, CultureInfo.InvariantCulture):00}:{int.Parse(sec, CultureInfo.InvariantCulture):00}";
        }
        var text = new List<string>();
        if (sec != "0")
        {
            text.Add(Field(sec, "second"));
        }
        if (min != "*")
        {
            text.Add(Field(min, "minute"));
        }
        else if (sec == "0" || !(sec == "*" || IsStep(sec)))
        {
            text.Add("every minute");
        }
        if (hour != "*")
        {
            text.Add(Field(hour, "hour"));
        }
        else if (min != "*" && !IsStep(min))
        {
            text.Add("every hour");
        }
        var joined = string.Join(", ", text);
        return char.ToUpperInvariant(joined[0]) + joined[1..];
    }

    private static string Field(string value, string unit)
    {
        if (value == "*")
        {
            return $"every {unit}";
        }
        if (IsStep(value))
        {
            var (from, step) = (value.Split('/')[0], value.Split('/')[1]);
            var every = step == "1" ? $"every {unit}" : $"every {step} {unit}s";
            return from is "*" or "0" ? every : $"{every} starting at {unit} {from}";
        }
        return $"at {unit} {List(value, v => v, unit)}";
    }

    private static string Day(string dom, string dow)
    {
        var anyDom = dom is "*" or "?";
        var anyDow = dow is "*" or "?";
        if (anyDom && anyDow)
        {
            return "every day";
        }
        if (!anyDow)
        {
            if (dow.EndsWith('L') && dow.Length > 1)
            {
                return $"on the last {DayName(dow[..^1])} of the month";
            }
            if (dow.Contains('#', StringComparison.Ordinal))
            {
                var parts = dow.Split('#');
                return $"on the {Ordinal(parts[1])} {DayName(parts[0])} of the month";
            }
            return "on " + List(dow, DayName, "day");
        }
        return dom switch
        {
            "L" => "on the last day of the month",
            "LW" => "on the last weekday of the month",
            _ when dom.EndsWith('W') => $"on the weekday nearest day {dom[..^1]} of the month",
            _ when IsStep(dom) => $"every {dom.Split('/')[1]} days of the month starting on day {dom.Split('/')[0].Replace("*", "1", StringComparison.Ordinal)}",
            _ => "on day " + List(dom, v => v, "day") + " of the month",
        };
    }

    /// <summary>"1,3,5" → "1, 3 and 5"; "1-5" → "1 through 5".</summary>
    private static string List(string value, Func<string, string> name, string unit)
    {
        var items = value.Split(',').Select(item =>
        {
            if (IsStep(item))
            {
                return Field(item, unit);
            }
            var range = item.Split('-');
            return range.Length == 2 ? $"{name(range[0])} through {name(range[1])}" : name(item);
        }).ToList();
        return items.Count == 1 ? items[0] : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1];
    }

    private static string DayName(string value)
    {
        var upper = value.ToUpperInvariant();
        var index = Array.IndexOf(DayNames, upper);
        if (index < 0 && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is >= 1 and <= 7)
        {
            index = number - 1;
        }
        return index >= 0 ? Days[index] : value;
    }

    private static string Name(string value, string[] names, int first, string[] full)
    {
        var index = Array.IndexOf(names, value.ToUpperInvariant());
        if (index < 0 && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= first && number - first < names.Length)
        {
            index = number - first;
        }
        return index >= 0 ? full[index] : value;
    }

    private static string Ordinal(string n) => n switch { "1" => "first", "2" => "second", "3" => "third", "4" => "fourth", "5" => "fifth", _ => n + "th" };

    private static bool IsNumber(string value) => value.Length > 0 && value.All(char.IsAsciiDigit);

    private static bool IsStep(string value) => value.Contains('/', StringComparison.Ordinal);
}
