using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace eNMS.Core.Ansible;

/// <summary>Reads ansible-playbook's JSON-lines callback output: per-host counters and task results, each event
/// also streamed to the run log as one readable line with secrets redacted.</summary>
internal static class AnsibleEvents
{
    private static readonly string[] StreamNames = ["stdout", "stderr"];

    /// <summary>One jsonl event: recorded per host and streamed to the run log as one readable line.</summary>
    public static void OnEvent(string line, AnsibleInvocation invocation, Dictionary<string, AnsibleHostResult> hosts, Action<string, string> log)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(line);
        }
        catch (JsonException)
        {
            node = null;
        }
        if (node is not JsonObject e)
        {
            if (line.Trim().Length > 0)
            {
                log(invocation.Secrets.Redact(line), "info");
            }
            return;
        }
        var kind = (string?)e["_event"] ?? "";
        lock (hosts)
        {
            switch (kind)
            {
                case "v2_playbook_on_play_start":
                    log($"PLAY [{e["play"]?["name"]}]", "info");
                    break;
                case "v2_runner_on_ok" or "v2_runner_on_failed" or "v2_runner_on_unreachable" or "v2_runner_on_skipped":
                    RecordTask(kind["v2_runner_on_".Length..], e, invocation, hosts, log);
                    break;
                case "v2_playbook_on_stats":
                    foreach (var (host, stats) in e["stats"]?.AsObject() ?? [])
                    {
                        var result = HostResult(hosts, host);
                        result.Ok = Count(stats, "ok");
                        result.Changed = Count(stats, "changed");
                        result.Failed = Count(stats, "failures");
                        result.Unreachable = Count(stats, "unreachable");
                        result.Skipped = Count(stats, "skipped");
                        result.Rescued = Count(stats, "rescued");
                        result.Ignored = Count(stats, "ignored");
                        log($"RECAP {host}: ok={result.Ok} changed={result.Changed} unreachable={result.Unreachable} failed={result.Failed} skipped={result.Skipped}", result.Success ? "info" : "error");
                    }
                    break;
            }
        }
    }

    private static void RecordTask(string status, JsonObject e, AnsibleInvocation invocation, Dictionary<string, AnsibleHostResult> hosts, Action<string, string> log)
    {
        var task = (string?)e["task"]?["name"] ?? "";
        foreach (var (host, value) in e["hosts"]?.AsObject() ?? [])
        {
            if (value is not JsonObject r)
            {
                continue;
            }
            var changed = r["changed"] is JsonValue c && c.TryGetValue<bool>(out var b) && b;
            var shown = status == "ok" && changed ? "changed" : status;
            var message = invocation.Secrets.Redact(Message(r));
            var diff = invocation.Secrets.Redact(Diff(r));
            HostResult(hosts, host).Tasks.Add(new AnsibleTaskResult((string?)e["play"]?["name"] ?? "", task, (string?)r["action"] ?? "", shown, changed, message, diff));
            log($"TASK [{task}] {host}: {shown}{(message.Length > 0 ? " — " + message : "")}", status is "failed" or "unreachable" ? "error" : "info");
        }
    }

    /// <summary>The task's message (msg) and what its command printed (stdout, stderr), whichever it has.</summary>
    private static string Message(JsonObject r)
    {
        var msg = r["msg"] switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            null => "",
            JsonNode other => other.ToJsonString(),
        };
        var parts = StreamNames.Select(k => (string?)(r[k] as JsonValue)).Prepend(msg).Where(s => !string.IsNullOrEmpty(s));
        return string.Join('\n', parts!);
    }

    /// <summary>--diff output: before/after texts or a prepared diff, as one unified-looking text.</summary>
    private static string Diff(JsonObject r)
    {
        var diffs = r["diff"] switch
        {
            JsonArray list => list.OfType<JsonObject>().ToList(),
            JsonObject one => [one],
            _ => [],
        };
        var text = new StringBuilder();
        foreach (var d in diffs)
        {
            if ((string?)(d["prepared"] as JsonValue) is { Length: > 0 } prepared)
            {
                text.AppendLine(prepared);
            }
            else if (d["before"] is JsonValue before && d["after"] is JsonValue after)
            {
                var header = (string?)(d["after_header"] as JsonValue) ?? "";
                text.AppendLine("--- before " + header).AppendLine("+++ after " + header);
                foreach (var l in Text.LineDiff.Compare(before.ToString(), after.ToString()).Where(l => l.Kind != Text.DiffKind.Same))
                {
                    text.AppendLine((l.Kind == Text.DiffKind.Added ? "+ " : "- ") + l.Text);
                }
            }
        }
        return text.ToString().TrimEnd();
    }

    private static AnsibleHostResult HostResult(Dictionary<string, AnsibleHostResult> hosts, string host) =>
        hosts.TryGetValue(host, out var result) ? result : hosts[host] = new AnsibleHostResult();

    private static int Count(JsonNode? stats, string name) => stats?[name] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0;
}
