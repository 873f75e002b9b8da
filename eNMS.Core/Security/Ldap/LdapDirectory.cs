using System.DirectoryServices.Protocols;
using System.Net;
using eNMS.Core.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace eNMS.Core.Security.Ldap;

/// <summary>A user as the directory knows them: their entry's DN and the DNs of their groups.</summary>
public sealed record DirectoryAccount(string Dn, IReadOnlyList<string> Groups);

public enum DirectoryAnswer
{
    Found,
    /// <summary>No entry, or more than one, matches the user name.</summary>
    UnknownUser,
    WrongPassword,
    /// <summary>No server answered, TLS failed (e.g. a certificate from an untrusted CA), or the service bind was refused.</summary>
    Unavailable,
}

public sealed record DirectoryLookup(DirectoryAnswer Answer, DirectoryAccount? Account = null);

/// <summary>
/// The one class that talks LDAP (System.DirectoryServices.Protocols, over the system's libldap on Linux). Every
/// operation opens its own connection: TLS (LDAPS or StartTLS) before any bind, the service bind, then the search; a
/// user's password is checked by a bind as their DN on another connection. Every connection and request is bounded by
/// <see cref="LdapOptions.Timeout"/>, every search by a size limit.
/// </summary>
public sealed class LdapDirectory(IOptionsMonitor<LdapOptions> options, DataPaths paths, ILogger<LdapDirectory> logger)
{
    /// <summary>Most groups read for one user (direct and nested together).</summary>
    public const int MaxGroups = 1000;

    /// <summary>Most levels of groups inside groups followed by <see cref="NestedGroups.Recursive"/>.</summary>
    public const int MaxNestingDepth = 8;

    private const int InvalidCredentials = 49;

    /// <summary>Checks the password by a bind as the user, then reads their groups. An empty password is refused before
    /// any bind: for LDAP that is an unauthenticated bind, which servers answer with success.</summary>
    public Task<DirectoryLookup> AuthenticateAsync(string userName, string password, CancellationToken ct) =>
        RunAsync(settings =>
        {
            if (password.Length == 0)
            {
                return new DirectoryLookup(DirectoryAnswer.WrongPassword);
            }
            using var service = Connect(settings, settings.BindDn, settings.BindPassword);
            if (FindUser(service, settings, userName) is not { } entry)
            {
                return new DirectoryLookup(DirectoryAnswer.UnknownUser);
            }
            try
            {
                using var asUser = Connect(settings, entry.DistinguishedName, password);
            }
            catch (LdapException e) when (e.ErrorCode == InvalidCredentials)
            {
                return new DirectoryLookup(DirectoryAnswer.WrongPassword);
            }
            return new DirectoryLookup(DirectoryAnswer.Found, new DirectoryAccount(entry.DistinguishedName, GroupsOf(service, settings, entry)));
        }, ct);

    /// <summary>The user's entry and groups now, through the service account only (the recheck of an API token's owner).</summary>
    public Task<DirectoryLookup> LookupAsync(string userName, CancellationToken ct) =>
        RunAsync(settings =>
        {
            using var service = Connect(settings, settings.BindDn, settings.BindPassword);
            return FindUser(service, settings, userName) is { } entry
                ? new DirectoryLookup(DirectoryAnswer.Found, new DirectoryAccount(entry.DistinguishedName, GroupsOf(service, settings, entry)))
                : new DirectoryLookup(DirectoryAnswer.UnknownUser);
        }, ct);

    /// <summary>libldap's calls block: they run on the thread pool, bounded by the timeout (twice: connect, then requests).</summary>
    private async Task<DirectoryLookup> RunAsync(Func<LdapOptions, DirectoryLookup> operation, CancellationToken ct)
    {
        var settings = options.CurrentValue;
        try
        {
            return await Task.Run(() => operation(settings), ct).WaitAsync(settings.Timeout * 3, ct);
        }
        catch (Exception e) when (e is LdapException or DirectoryOperationException or TimeoutException)
        {
            // The message is libldap's or the server's (never a password); the cause is for the admin's log only.
            logger.LogWarning("LDAP directory unavailable: {Problem}", e.Message);
            return new DirectoryLookup(DirectoryAnswer.Unavailable);
        }
    }

    /// <summary>A bound connection to the first server that answers.</summary>
    private LdapConnection Connect(LdapOptions settings, string dn, string password)
    {
        Exception? unreachable = null;
        foreach (var url in settings.AllUrls)
        {
            LdapConnection? connection = null;
            try
            {
                connection = Open(settings, new Uri(url), anonymous: dn.Length == 0);
                if (dn.Length == 0)
                {
                    connection.Bind();
                }
                else
                {
                    connection.Bind(new NetworkCredential(dn, password));
                }
                return connection;
            }
            catch (Exception e) when (e is LdapException { ErrorCode: not InvalidCredentials } or TlsOperationException)
            {
                // Server down, or TLS refused: the next server may do.
                connection?.Dispose();
                unreachable = e;
            }
            catch
            {
                connection?.Dispose();
                throw;
            }
        }
        throw unreachable ?? new LdapException("No LDAP server configured.");
    }

    private LdapConnection Open(LdapOptions settings, Uri url, bool anonymous)
    {
        var ldaps = url.Scheme == "ldaps";
        var port = url.IsDefaultPort || url.Port <= 0 ? (ldaps ? 636 : 389) : url.Port;
        var connection = new LdapConnection(new LdapDirectoryIdentifier(url.Host, port, fullyQualifiedDnsHostName: true, connectionless: false))
        {
            AuthType = anonymous ? AuthType.Anonymous : AuthType.Basic,
            Timeout = settings.Timeout,
        };
        try
        {
            var session = connection.SessionOptions;
            session.ProtocolVersion = 3;
            session.ReferralChasing = ReferralChasingOptions.None;
            session.SecureSocketLayer = ldaps;
            if (!OperatingSystem.IsWindows())
            {
                // libldap (Linux): a TLS context of this connection's own, so the CA applies (the default one is process-wide).
                // On Windows the system's certificate store decides.
                if (CaDirectory(settings) is { } caDirectory)
                {
                    session.TrustedCertificatesDirectory = caDirectory;
                }
                session.StartNewTlsSessionContext();
            }
            if (!ldaps && settings.StartTls)
            {
                // On Linux the connection learns its server only at its first bind (System.DirectoryServices.Protocols sets
                // the URI then): an anonymous bind, which carries no secret, opens it; StartTLS follows before the real bind.
                connection.AuthType = AuthType.Anonymous;
                connection.Bind();
                session.StartTransportLayerSecurity(null);
                connection.AuthType = anonymous ? AuthType.Anonymous : AuthType.Basic;
            }
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static SearchResultEntry? FindUser(LdapConnection connection, LdapOptions settings, string userName)
    {
        var request = new SearchRequest(settings.UserSearchBase, LdapOptions.Format(settings.UserFilter, userName), SearchScope.Subtree, "memberOf")
        {
            SizeLimit = 2,
            TimeLimit = settings.Timeout,
        };
        var entries = Search(connection, request);
        // Two entries for one name: the filter is too loose; refuse rather than pick one.
        return entries.Count == 1 ? entries[0] : null;
    }

    private static List<string> GroupsOf(LdapConnection connection, LdapOptions settings, SearchResultEntry user)
    {
        if (settings.NestedGroups == NestedGroups.InChain)
        {
            // Active Directory walks the whole chain itself.
            return GroupsWith(connection, settings, $"(member:{LdapOptions.InChainRule}:={LdapFilter.Escape(user.DistinguishedName)})");
        }
        var direct = settings.GroupMembership == GroupMembership.MemberOf
            ? [.. (user.Attributes["memberOf"]?.GetValues(typeof(string)) ?? []).Cast<string>().Take(MaxGroups)]
            : GroupsWith(connection, settings, LdapOptions.Format(settings.GroupFilter, user.DistinguishedName));
        if (settings.NestedGroups != NestedGroups.Recursive)
        {
            return direct;
        }
        var all = new HashSet<string>(direct, StringComparer.OrdinalIgnoreCase);
        var frontier = direct;
        for (var depth = 0; depth < MaxNestingDepth && frontier.Count > 0 && all.Count < MaxGroups; depth++)
        {
            var parents = new List<string>();
            foreach (var chunk in frontier.Chunk(50))
            {
                var filter = "(|" + string.Concat(chunk.Select(dn => LdapOptions.Format(settings.GroupFilter, dn))) + ")";
                parents.AddRange(GroupsWith(connection, settings, filter).Where(all.Add));
            }
            frontier = parents;
        }
        return [.. all.Take(MaxGroups)];
    }

    private static List<string> GroupsWith(LdapConnection connection, LdapOptions settings, string filter) =>
        [.. Search(connection, new SearchRequest(settings.EffectiveGroupSearchBase, filter, SearchScope.Subtree, "1.1")
        {
            SizeLimit = MaxGroups,
            TimeLimit = settings.Timeout,
        }).Select(e => e.DistinguishedName)];

    /// <summary>The entries found; past the size limit, those the server sent.</summary>
    private static List<SearchResultEntry> Search(LdapConnection connection, SearchRequest request)
    {
        try
        {
            return [.. ((SearchResponse)connection.SendRequest(request)).Entries.Cast<SearchResultEntry>()];
        }
        catch (DirectoryOperationException e) when (e.Response is SearchResponse { ResultCode: ResultCode.SizeLimitExceeded } partial)
        {
            return [.. partial.Entries.Cast<SearchResultEntry>()];
        }
        catch (DirectoryOperationException e) when (e.Response?.ResultCode == ResultCode.NoSuchObject)
        {
            return [];
        }
    }

    /// <summary>libldap takes a directory of CA certificates: the configured file is copied into one of eNMS's own.</summary>
    private string? CaDirectory(LdapOptions settings)
    {
        if (settings.CaCertificateFile is not { Length: > 0 } file)
        {
            return null;
        }
        var directory = Path.Combine(paths.DataDirectory, "ldap-ca");
        Directory.CreateDirectory(directory);
        var copy = Path.Combine(directory, "ca.pem");
        var pem = File.ReadAllBytes(file);
        if (!File.Exists(copy) || !File.ReadAllBytes(copy).AsSpan().SequenceEqual(pem))
        {
            File.WriteAllBytes(copy, pem);
        }
        return directory;
    }
}
