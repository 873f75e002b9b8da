using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;

namespace eNMS.Web.Components.Pages.Automation;

/// <summary>
/// What the run page lists: the results and log lines loaded from the database, plus those its live events bring.
/// The page subscribes before it loads (so nothing is lost), which means an event can arrive while the load runs and
/// carry a row the load also returns: events are held until the load is in, then merged by row id, so every result
/// and log line is listed once. The recorder publishes a row before writing it and the write gives that same object
/// its id, so a row the load could see always has its id by the time it is merged.
/// </summary>
public sealed class RunView(int maxLogLines)
{
    private readonly List<RunEvent> _early = [];
    private bool _loaded;

    public List<RunResult> Results { get; private set; } = [];

    public List<RunLogEntry> Log { get; private set; } = [];

    /// <summary>Copies under way, by node, device and path: the latest count of each, until its node's result comes.</summary>
    public Dictionary<(string Node, string Device, string Path), TransferProgressed> Transfers { get; } = [];

    /// <summary>Takes the rows loaded from the database, then applies the events that came meanwhile.</summary>
    public void Load(List<RunResult> results, List<RunLogEntry> log)
    {
        (Results, Log, _loaded) = (results, log, true);
        foreach (var early in _early)
        {
            Apply(early);
        }
        _early.Clear();
    }

    /// <summary>Applies a live event (or holds it until the load is in). True when the view changed.</summary>
    public bool Apply(RunEvent runEvent)
    {
        if (!_loaded)
        {
            _early.Add(runEvent);
            return false;
        }
        switch (runEvent)
        {
            case ResultRecorded r when !Results.Any(x => ReferenceEquals(x, r.Recorded) || (r.Recorded.Id != 0 && x.Id == r.Recorded.Id)):
                Results.Add(r.Recorded);
                foreach (var done in Transfers.Keys.Where(k => k.Node == r.Recorded.Node && k.Device == r.Recorded.DeviceName).ToList())
                {
                    Transfers.Remove(done);
                }
                return true;
            case TransferProgressed t:
                Transfers[(t.Node, t.DeviceName, t.Path)] = t;
                return true;
            case RunLogged l when !Log.Any(x => ReferenceEquals(x, l.Entry) || (l.Entry.Id != 0 && x.Id == l.Entry.Id)):
                Log.Add(l.Entry);
                if (Log.Count > maxLogLines)
                {
                    Log.RemoveAt(0);
                }
                return true;
            default:
                return false;
        }
    }
}
