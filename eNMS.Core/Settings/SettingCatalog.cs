namespace eNMS.Core.Settings;

/// <summary>
/// The settings an admin may change while the app runs, in the order the page shows them. Each is an existing
/// configuration key, so appsettings, the environment and the command line keep working and win when they set it.
/// <see cref="SettingDefinition.Live"/> says whether the consumer reads it through <c>IOptionsMonitor</c> (applied
/// within seconds, on every node) or only at start.
/// </summary>
public static class SettingCatalog
{
    public const string GitMirror = "Git mirror of backups";
    public const string Outbound = "Outbound calls (REST calls and webhooks)";
    public const string Mail = "Mail notifications (SMTP)";
    public const string Map = "Map";
    public const string Limits = "Limits";
    public const string Retention = "Run retention";
    public const string SingleSignOn = "Single sign-on (OpenID Connect)";

    public static IReadOnlyList<SettingDefinition> All { get; } =
    [
        new("Configurations:GitMirror:RepositoryPath", GitMirror, "Repository path", SettingKind.Text, Live: true,
            "Local repository the backups are mirrored into (created when missing); empty turns the mirror off."),
        new("Configurations:GitMirror:Remote", GitMirror, "Remote", SettingKind.GitRemote, Live: true,
            "Where to push after each commit (URL or path, no password); empty: no push."),
        new("Configurations:GitMirror:Branch", GitMirror, "Branch", SettingKind.Branch, Live: true, "Branch committed to and pushed."),
        new("Configurations:GitMirror:AuthorName", GitMirror, "Author name", SettingKind.Text, Live: true, "Author and committer of the mirror's commits."),
        new("Configurations:GitMirror:AuthorEmail", GitMirror, "Author e-mail", SettingKind.Email, Live: true, "Their e-mail address."),
        new("Configurations:GitMirror:IncludeSecrets", GitMirror, "Include secrets", SettingKind.Boolean, Live: true,
            "Mirror configurations with their secrets (off: masked)."),

        new("Automation:Outbound:AllowedNetworks", Outbound, "Allowed internal networks", SettingKind.CidrList, Live: true,
            "Loopback, private or link-local networks that REST calls and webhooks may reach anyway, one per line (10.1.0.0/16)."),
        new("Automation:Outbound:TimeoutSeconds", Outbound, "Timeout (seconds)", SettingKind.WholeNumber, Live: true,
            "For a whole call: connecting, headers and reply.", Max: 3600),
        new("Automation:Outbound:MaxRedirects", Outbound, "Redirects followed", SettingKind.WholeNumber, Live: true,
            "Redirects followed, each one checked like the first call.", Min: 0, Max: 20),
        new("Automation:Outbound:MaxReplyBytes", Outbound, "Largest reply (bytes)", SettingKind.WholeNumber, Live: true,
            "A longer reply is cut there and the call fails."),

        new("Automation:Smtp:Host", Mail, "SMTP server", SettingKind.HostName, Live: true, "Host name or address; empty: mail notifications fail saying so."),
        new("Automation:Smtp:Port", Mail, "Port", SettingKind.WholeNumber, Live: true, "25, 465 or 587 usually.", Max: 65535),
        new("Automation:Smtp:EnableSsl", Mail, "TLS", SettingKind.Boolean, Live: true, "Use TLS (STARTTLS) to the server."),
        new("Automation:Smtp:From", Mail, "From address", SettingKind.Email, Live: true, "Sender of notification mails."),
        new("Automation:Smtp:Username", Mail, "User name", SettingKind.Text, Live: true, "Empty: no authentication."),
        new("Automation:Smtp:Password", Mail, "Password", SettingKind.Secret, Live: true, "Stored encrypted with the key ring; never shown again."),

        new("Oidc:ClientSecret", SingleSignOn, "Client secret", SettingKind.Secret, Live: true,
            "eNMS's secret at the provider (Oidc section); stored encrypted with the key ring; never shown again. Empty: a public client."),

        new("Views:TileServerUrl", Map, "Tile server URL", SettingKind.Url, Live: true,
            "Online tiles for the world map, e.g. https://tile.example.org/{z}/{x}/{y}.png (allowed in the page's CSP); empty: offline base map only."),

        new("Retention:RunDays", Retention, "Keep runs (days)", SettingKind.WholeNumber, Live: true,
            "Finished runs that ended longer ago are purged nightly with their results and logs; 0 keeps them whatever their age.", Min: 0, Max: 36500),
        new("Retention:RunsPerService", Retention, "Runs kept per service", SettingKind.WholeNumber, Live: true,
            "Only the newest finished runs of each service or workflow are kept; 0: no limit.", Min: 0, Max: 1_000_000),

        new("Automation:MaxOutputChars", Limits, "Output kept per result (characters)", SettingKind.WholeNumber, Live: true,
            "The rest of a longer output is replaced by a marker (runs started after the change)."),
        new("Automation:FileTransferMaxBytes", Limits, "Largest file transferred (bytes)", SettingKind.WholeNumber, Live: true,
            "file_transfer refuses larger files either way."),
        new("Automation:MaxConcurrentRuns", Limits, "Runs at once per node", SettingKind.WholeNumber, Live: false,
            "More wait in the queue.", Max: 1000),
        new("Automation:PlatformLimits", Limits, "Sessions per platform", SettingKind.PlatformLimits, Live: false,
            "Sessions a platform may have open at once across all runs, one platform=number per line (cisco_ios=10)."),
        new("Automation:NetconfMaxReplyBytes", Limits, "Largest NETCONF reply (bytes)", SettingKind.WholeNumber, Live: false,
            "A larger reply fails the operation."),
        new("Automation:Templates:MaxSteps", Limits, "Template steps", SettingKind.WholeNumber, Live: false,
            "Tags plus loop iterations one rendering of a template may execute."),
        new("Automation:Templates:TimeoutMilliseconds", Limits, "Template time (ms)", SettingKind.WholeNumber, Live: false,
            "Wall-clock time of one rendering."),
    ];

    private static readonly Dictionary<string, SettingDefinition> ByKey = All.ToDictionary(d => d.Key, StringComparer.OrdinalIgnoreCase);

    public static SettingDefinition? Find(string key) => ByKey.GetValueOrDefault(key);
}
