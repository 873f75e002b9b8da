"""Google's TextFSM (Debian python3-textfsm) on cases read as JSON from stdin: [{"template", "text"}] ->
[{"header", "rows"} | {"error"}] on stdout. The reference eNMS's engine is compared with."""
import io
import json
import sys

import textfsm

results = []
for case in json.load(sys.stdin):
    try:
        fsm = textfsm.TextFSM(io.StringIO(case["template"]))
        rows = fsm.ParseText(case["text"])
        results.append({"header": fsm.header, "rows": rows})
    except Exception as e:  # template and parse errors alike: the comparison only needs to know one happened
        results.append({"error": "%s: %s" % (type(e).__name__, e)})
json.dump(results, sys.stdout)
