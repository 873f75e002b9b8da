using System.Text.Json;
using System.Threading.Channels;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace eNMS.Core.Scheduling;

/// <summary>
/// Live run events across the nodes of a cluster: every event this node's <see cref="RunNotifier"/> publishes is sent
/// with PostgreSQL NOTIFY, and the events of the other nodes, received with LISTEN on a dedicated connection, are
/// delivered to this node's subscribers — a browser on node A sees a run executing on node B as it happens, without
/// polling. NOTIFY payloads are limited to 8000 bytes: long outputs are cut in the live view (the run page reloads
/// them whole from the database).
/// </summary>
public sealed class ClusterRunEvents(string connectionString, RunNotifier notifier, RunDispatcher dispatcher, ILogger<ClusterRunEvents> logger) : BackgroundService
{
    private const string ChannelName = "enms_run_events";
    private const int MaxPayloadBytes = 7000;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Channel<RunEvent> _outgoing = Channel.CreateUnbounded<RunEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _origin = Guid.NewGuid().ToString("N");

    private sealed record Envelope(string Origin, RunProgressed? Progress = null, RunLogEntry? Log = null, RunResult? Result = null, int? Cancel = null);

    /// <summary>A cancel asked on one node for a run another node executes.</summary>
    private sealed record CancelRequested(int RunId) : RunEvent(RunId);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        notifier.Relay = e => _outgoing.Writer.TryWrite(e);
        dispatcher.CancelElsewhere = id => _outgoing.Writer.TryWrite(new CancelRequested(id));
        return Task.WhenAll(KeepAsync("listen", ListenAsync, stoppingToken), KeepAsync("notify", SendAsync, stoppingToken));
    }

    /// <summary>Runs a connection loop again after a database outage.</summary>
    private async Task KeepAsync(string what, Func<CancellationToken, Task> loop, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await loop(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException)
            {
                logger.LogWarning(e, "Cluster run events: the {What} connection failed; reconnecting", what);
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        connection.Notification += (_, n) => Receive(n.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {ChannelName}", connection))
        {
            await listen.ExecuteNonQueryAsync(ct);
        }
        while (true)
        {
            await connection.WaitAsync(ct);
        }
    }

    private async Task SendAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
        notify.Parameters.AddWithValue("channel", ChannelName);
        var payload = notify.Parameters.AddWithValue("payload", "");
        while (await _outgoing.Reader.WaitToReadAsync(ct))
        {
            while (_outgoing.Reader.TryPeek(out var runEvent))
            {
                payload.Value = Serialize(runEvent);
                await notify.ExecuteNonQueryAsync(ct);
                _outgoing.Reader.TryRead(out _);
            }
        }
    }

    private string Serialize(RunEvent runEvent)
    {
        var envelope = runEvent switch
        {
            RunProgressed p => new Envelope(_origin, Progress: p),
            RunLogged l => new Envelope(_origin, Log: l.Entry),
            ResultRecorded r => new Envelope(_origin, Result: r.Recorded),
            CancelRequested c => new Envelope(_origin, Cancel: c.RunId),
            _ => new Envelope(_origin),
        };
        var text = JsonSerializer.Serialize(envelope, Json);
        if (System.Text.Encoding.UTF8.GetByteCount(text) <= MaxPayloadBytes)
        {
            return text;
        }
        const string Cut = "\n[… cut in the live view: open the run again for all of it]";
        if (envelope.Result is { } result)
        {
            var shortened = new RunResult
            {
                Id = result.Id,
                RunId = result.RunId,
                Node = result.Node,
                ServiceId = result.ServiceId,
                ServiceName = result.ServiceName,
                DeviceId = result.DeviceId,
                DeviceName = result.DeviceName,
                Success = result.Success,
                Changed = result.Changed,
                Skipped = result.Skipped,
                Attempts = result.Attempts,
                StartedAt = result.StartedAt,
                DurationMs = result.DurationMs,
                Output = Head(result.Output, 1500) + Cut,
                Error = Head(result.Error, 500),
                Diff = Head(result.Diff, 500),
                Data = "",
            };
            return JsonSerializer.Serialize(envelope with { Result = shortened }, Json);
        }
        if (envelope.Log is { } log)
        {
            return JsonSerializer.Serialize(envelope with { Log = new RunLogEntry { Id = log.Id, RunId = log.RunId, Time = log.Time, Level = log.Level, Message = Head(log.Message, 1500) + Cut } }, Json);
        }
        return text;
    }

    private static string Head(string text, int chars) => text.Length <= chars ? text : text[..chars];

    private void Receive(string payload)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize<Envelope>(payload, Json);
            if (envelope is null || envelope.Origin == _origin)
            {
                return;
            }
            if (envelope.Cancel is int cancel)
            {
                dispatcher.CancelHere(cancel);
                return;
            }
            RunEvent? runEvent = envelope.Progress is { } progress ? progress
                : envelope.Log is { } log ? new RunLogged(log.RunId, log)
                : envelope.Result is { } result ? new ResultRecorded(result.RunId, result) : null;
            if (runEvent is not null)
            {
                notifier.Deliver(runEvent);
            }
        }
        catch (JsonException e)
        {
            logger.LogWarning(e, "Cluster run events: an unreadable notification was ignored");
        }
    }
}
