using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace eNMS.Core.Text;

/// <summary>A user's regular expression ran past <see cref="UserRegex.Timeout"/>.</summary>
public sealed class UserRegexTimeoutException(string message) : ArgumentException(message)
{
    public UserRegexTimeoutException() : this(UserRegex.TimeoutMessage) { }

    public UserRegexTimeoutException(string message, Exception inner) : this(message) => _ = inner;
}

/// <summary>
/// The one place a regular expression written by a user (grid filters, pool criteria, configuration search,
/// compliance rules, data_validation, parsing) is built. The pattern's length is limited, it runs on the
/// non-backtracking engine (linear time, so <c>^(e+)+$</c> cannot go exponential) whenever the pattern allows, and
/// it always has a match timeout — the backstop for patterns that need backtracking (backreferences, lookarounds).
/// </summary>
public static class UserRegex
{
    public const int MaxPatternLength = 1_000;

    /// <summary>Longest time one match may take.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(250);

    /// <summary>What a timeout says (also how it is recognized after crossing a database driver).</summary>
    public const string TimeoutMessage = "The regular expression took longer than 250 ms on one value: simplify it.";

    private const int Cached = 500;
    private static readonly ConcurrentDictionary<(string, RegexOptions), Regex> Cache = new();

    /// <exception cref="ArgumentException">The pattern is too long or not a valid regular expression.</exception>
    public static Regex Create(string pattern, RegexOptions options = RegexOptions.None)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (Cache.TryGetValue((pattern, options), out var cached))
        {
            return cached;
        }
        if (pattern.Length > MaxPatternLength)
        {
            throw new ArgumentException($"The regular expression is longer than {MaxPatternLength:N0} characters.");
        }
        Regex regex;
        try
        {
            regex = new Regex(pattern, options | RegexOptions.NonBacktracking, Timeout);
        }
        catch (NotSupportedException)
        {
            regex = new Regex(pattern, options, Timeout);
        }
        catch (ArgumentException e) when (e is not RegexParseException)
        {
            // NonBacktracking refuses some constructs with an ArgumentException rather than NotSupportedException.
            regex = new Regex(pattern, options, Timeout);
        }
        catch (RegexParseException e)
        {
            throw new ArgumentException($"'{pattern}' is not a valid regular expression: {e.Message}", e);
        }
        if (Cache.Count >= Cached)
        {
            Cache.Clear();
        }
        return Cache.GetOrAdd((pattern, options), regex);
    }

    /// <summary>Why the pattern cannot be used, or null.</summary>
    public static string? Problem(string pattern, RegexOptions options = RegexOptions.None)
    {
        try
        {
            _ = Create(pattern, options);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    /// <exception cref="UserRegexTimeoutException">The match took longer than <see cref="Timeout"/>.</exception>
    public static bool IsMatch(string input, string pattern, RegexOptions options = RegexOptions.None) =>
        Guard(() => Create(pattern, options).IsMatch(input));

    /// <summary>Runs a match and turns its timeout into <see cref="UserRegexTimeoutException"/>.</summary>
    public static T Guard<T>(Func<T> match)
    {
        ArgumentNullException.ThrowIfNull(match);
        try
        {
            return match();
        }
        catch (RegexMatchTimeoutException e)
        {
            throw new UserRegexTimeoutException(TimeoutMessage, e);
        }
    }
}
