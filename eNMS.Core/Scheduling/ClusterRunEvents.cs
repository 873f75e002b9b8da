using System.Collections.Concurrent;
using System.Text.Json;
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
/// <remarks>
/// The outgoing side is a <see cref="RunFeed"/> like a view's: bounded (<see cref="RelayCapacity"/>), coalesced (the
/// latest progress of a run, the latest result of a device and node), sent as one NOTIFY statement per batch. When the
/// connection is slower than the run (or fails), what overflows is dropped and the other nodes get a
/// <see cref="RunEventsLost"/> marker for its runs instead: their views read those runs again from the database.
/// Cancels do not go through the feed: they are never merged nor dropped.
/// </remarks>
public sealed class ClusterRunEvents(string connectionString, RunNotifier notifier, RunDispatcher dispatcher, ILogger<ClusterRunEvents> logger,
    TimeProvider? time = null) : BackgroundService
{
    /// <summary>Events held for the other nodes at most (after merging); past it the held ones become reload markers.</summary>
    internal const int RelayCapacity = 5_000;

    /// <summary>How often held events are sent: a quarter of a view's frame, so that a remote view lags a local one little.</summary>
    internal static readonly TimeSpan RelayInterval = TimeSpan.FromMilliseconds(50);

    private const string ChannelName = "enms_run_events";
    private const int MaxPayloadBytes = 7000;
    // Payloads per NOTIFY statement: one round trip each, bounded so a statement stays a few MB at most.
    private const int PayloadsPerStatement = 500;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentQueue<int> _cancels = new();
    // Runs whose events the other nodes missed: sent as reload markers before anything else. Touched only by SendAsync,
    // which the relay feed never runs twice at once.
    private readonly HashSet<int> _lost = [];
    private readonly string _origin = Guid.NewGuid().ToString("N");
    private NpgsqlConnection? _connection;
    private CancellationToken _stopping;

    private sealed record Envelope(string Origin, RunProgressed? Progress = null, RunLogEntry? Log = null, RunResult? Result = null, int? Cancel = null,
        FanOutChanged? FanOut = null, int? Lost = null);

    /// <summary>A cancel asked on one node for a run another node executes.</summary>
    private sealed record CancelRequested(int RunId) : RunEvent(RunId);

    /// <summary>The events other nodes show: approvals and per-node starts stay local (their panels read the database).</summary>
    private static readonly RunFeedOptions Relaying = new(RelayInterval, RelayCapacity,
        Wants: e => e is RunProgressed or RunLogged or ResultRecorded or FanOutChanged or CancelRequested);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        using var relay = new RunFeed(SendAsync, Relaying, _time, logger);
        notifier.Relay = relay.Offer;
        dispatcher.CancelElsewhere = id =>
        {
            _cancels.Enqueue(id);
            // Only wakes the feed up: the cancel itself is sent from the queue, first.
            relay.Offer(new CancelRequested(id));
        };
        try
        {
            await KeepAsync("listen", ListenAsync, stoppingToken);
        }
        finally
        {
            notifier.Relay = null;
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
            }
        }
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
                await Task.Delay(TimeSpan.FromSeconds(1), _time, ct);
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

    /// <summary>One batch of the relay feed: cancels first, then reload markers, then the events, in as few NOTIFY
    /// statements as the batch needs. A failed connection turns the batch's runs into reload markers, sent once the
    /// database answers again (meanwhile the feed keeps holding, bounded, what the run publishes).</summary>
    private async Task SendAsync(RunEventBatch batch)
    {
        _lost.UnionWith(batch.ReloadRuns ?? []);
        var events = batch.Events.Where(e => e is not CancelRequested).ToList();
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                _connection ??= await OpenAsync(_stopping);
                while (_cancels.TryPeek(out var cancel))
                {
                    await NotifyAsync([JsonSerializer.Serialize(new Envelope(_origin, Cancel: cancel), Json)]);
                    _cancels.TryDequeue(out _);
                }
                if (_lost.Count > 0)
                {
                    await NotifyAsync([.. _lost.Select(run => JsonSerializer.Serialize(new Envelope(_origin, Lost: run), Json))]);
                    _lost.Clear();
                }
                foreach (var chunk in events.Chunk(PayloadsPerStatement))
                {
                    await NotifyAsync([.. chunk.Select(Serialize)]);
                }
                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException)
            {
                logger.LogWarning(e, "Cluster run events: the notify connection failed; {Count} event(s) not sent, the other nodes will read their runs again", events.Count);
                _lost.UnionWith(events.Select(r => r.RunId));
                events.Clear();
                if (_connection is not null)
                {
                    await _connection.DisposeAsync();
                    _connection = null;
                }
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), _time, _stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>One statement, one round trip: the payloads are notified in their order (PostgreSQL delivers a
    /// transaction's notifications in the order they were sent).</summary>
    private async Task NotifyAsync(string[] payloads)
    {
        await using var notify = new NpgsqlCommand(
            "SELECT pg_notify(@channel, p) FROM unnest(@payloads) WITH ORDINALITY AS t(p, i) ORDER BY i", _connection);
        notify.Parameters.AddWithValue("channel", ChannelName);
        notify.Parameters.AddWithValue("payloads", payloads);
        await notify.ExecuteNonQueryAsync(_stopping);
    }

    private string Serialize(RunEvent runEvent)
    {
        var envelope = runEvent switch
        {
            RunProgressed p => new Envelope(_origin, Progress: p),
            RunLogged l => new Envelope(_origin, Log: l.Entry),
            ResultRecorded r => new Envelope(_origin, Result: r.Recorded),
            FanOutChanged f => new Envelope(_origin, FanOut: f),
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
        if (envelope.FanOut is { Report: var report } fanOut)
        {
            // The retries listed go first (the run keeps them all in its final report); the caps are few.
            var counted = report with { Retries = [], RetriesNotListed = report.RetriesNotListed + report.Retries.Count };
            return JsonSerializer.Serialize(envelope with { FanOut = fanOut with { Report = counted } }, Json);
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
                : envelope.Result is { } result ? new ResultRecorded(result.RunId, result)
                : envelope.FanOut is { } fanOut ? fanOut
                : envelope.Lost is int lost ? new RunEventsLost(lost) : null;
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
