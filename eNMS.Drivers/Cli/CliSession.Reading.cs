using System.Text.RegularExpressions;

namespace eNMS.Drivers.Cli;

/// <summary>Reading the device's screen until a prompt (or a question to answer, or a pager to page on), within the
/// read and command time limits, with output bounded and the transcript kept.</summary>
public sealed partial class CliSession
{
    private async Task<string> ReadUntilAsync(string what, Regex? until, IReadOnlyList<CliAnswer> answers,
        TimeSpan overall, CancellationToken ct, bool anyPrompt = false)
    {
        var prompt = anyPrompt ? CliText.AnyPrompt(_profile) : _prompt;
        using var overallCts = new CancellationTokenSource(overall, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, overallCts.Token);
        while (true)
        {
            string? chunk;
            // A device sitting at a question nobody answers would otherwise be waited for until the read timeout, and
            // then blamed for silence: it is reported sooner, quoting the question.
            var question = CliText.Question.IsMatch(_screen.PartialLine) ? _screen.PartialLine.Trim() : null;
            var quiet = question is null || Target.Timeouts.UnansweredPrompt >= Target.Timeouts.Read
                ? Target.Timeouts.Read
                : Target.Timeouts.UnansweredPrompt;
            using (var silence = new CancellationTokenSource(quiet, _time))
            using (var read = CancellationTokenSource.CreateLinkedTokenSource(linked.Token, silence.Token))
            {
                try
                {
                    chunk = await _shell.ReadAsync(read.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested && question is not null && silence.IsCancellationRequested
                    && !overallCts.IsCancellationRequested)
                {
                    // Unanswered, the question stays on the device's screen: this connection is not used again.
                    _broken = "left at an unanswered question";
                    throw new DeviceUnansweredPromptException(Target.Name, _sending.Length > 0 ? _sending : what, Redact(question))
                    { PartialOutput = SeenSoFar() };
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    _broken = "timed out";
                    var why = overallCts.IsCancellationRequested
                        ? $"no prompt within {overall.TotalSeconds:0.###} s"
                        : $"device silent for {Target.Timeouts.Read.TotalSeconds:0.###} s";
                    throw new DeviceTimeoutException(Target.Name, $"{why} while waiting for {what} " +
                        $"(last line: '{CliText.Shorten(Redact(_screen.PartialLine))}')")
                    { PartialOutput = SeenSoFar() };
                }
                catch (OperationCanceledException)
                {
                    _broken = "cancelled mid-command";
                    throw;
                }
                catch (Exception ex) when (ex is IOException or ObjectDisposedException)
                {
                    chunk = null;
                }
            }
            if (chunk is null)
            {
                _broken = "connection lost";
                var seen = SeenSoFar();
                throw new DeviceConnectionException(Target.Name, $"connection lost while waiting for {what}{CliText.LastWords(seen)}")
                { PartialOutput = seen };
            }
            AppendTranscript(chunk);
            _screen.Feed(chunk);
            var partial = _screen.PartialLine;
            if (partial.Length == 0)
            {
                continue;
            }
            if (until?.IsMatch(partial) == true || prompt.IsMatch(partial))
            {
                CurrentPrompt = partial.Trim();
                var text = _screen.CompletedText(TruncationMarker);
                _screen.DropPartialLine();
                return _profile.PromptContext is { } context ? TakeContext(text, context) : text;
            }
            if (answers.FirstOrDefault(a => a.Question.IsMatch(partial)) is { } answer)
            {
                _screen.DropPartialLine();
                await WriteAsync(answer.Reply + "\n", answer.IsSecret, ct);
            }
            else if (_profile.More.IsMatch(partial))
            {
                _screen.DropPartialLine();
                await WriteAsync(" ", false, ct);
            }
        }
    }

    /// <summary>Takes the prompt's context line (the reply's last line) out of the reply into <see cref="CurrentContext"/>.</summary>
    private string TakeContext(string text, Regex context)
    {
        var body = text.TrimEnd('\n');
        int start = body.LastIndexOf('\n') + 1;
        var last = body[start..].Trim();
        if (!context.IsMatch(last))
        {
            return text;
        }
        CurrentContext = last;
        return body[..start];
    }

    /// <summary>The reply read so far (completed lines and the line being written), redacted.</summary>
    private string SeenSoFar() =>
        Redact(CliText.StripEcho(_screen.CompletedText(TruncationMarker) + _screen.PartialLine, _sending).TrimEnd('\n', ' '));

    private void AppendTranscript(string text)
    {
        lock (_transcript)
        {
            if (_transcript.Length + text.Length <= MaxTranscriptChars)
            {
                _transcript.Append(text);
            }
        }
    }
}
