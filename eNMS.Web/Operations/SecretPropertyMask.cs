using eNMS.Drivers;
using Serilog.Core;
using Serilog.Events;

namespace eNMS.Web.Operations;

/// <summary>
/// Masks, in what is written to log files, every property whose name says it holds a secret (password, secret,
/// passphrase, token, private key, connection string). The console keeps them: the first start's generated admin
/// password is shown there once on purpose, and must not then lie in a file for as long as logs are kept.
/// Secrets quoted inside free text are masked where they are produced (the run's <see cref="SecretRedactor"/>).
/// </summary>
public sealed class SecretPropertyMask : ILogEventEnricher
{
    private static readonly string[] SecretWords = ["password", "secret", "passphrase", "token", "privatekey", "connectionstring"];
    private static readonly ScalarValue Masked = new(SecretRedactor.Marker);

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        foreach (var name in logEvent.Properties.Keys.Where(IsSecret).ToList())
        {
            logEvent.AddOrUpdateProperty(new LogEventProperty(name, Masked));
        }
    }

    private static bool IsSecret(string name) =>
        SecretWords.Any(word => name.Replace("_", "", StringComparison.Ordinal).Contains(word, StringComparison.OrdinalIgnoreCase));
}
