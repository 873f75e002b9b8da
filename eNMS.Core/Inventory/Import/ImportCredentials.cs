using eNMS.Core.Data;
using eNMS.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Inventory.Import;

/// <summary>
/// eNMS sheets carry logins in plain columns; each distinct login becomes one encrypted credential (an existing
/// credential with the same login is reused), named explicitly on its devices. Never a plain device property.
/// </summary>
public sealed class ImportCredentials(SecretProtector secrets)
{
    internal sealed class Resolution(Dictionary<ImportedLogin, Credential> map, int created)
    {
        public int Created { get; } = created;

        public Credential? For(ImportedLogin login) => map.GetValueOrDefault(login);
    }

    internal async Task<Resolution> ResolveAsync(EnmsDbContext db, IEnumerable<ImportedLogin> logins, CancellationToken ct)
    {
        var wanted = logins.Distinct().ToList();
        var map = new Dictionary<ImportedLogin, Credential>();
        if (wanted.Count == 0)
        {
            return new Resolution(map, 0);
        }
        var existing = await db.Credentials.Where(c => c.ProtectedPrivateKey == null).ToListAsync(ct);
        var names = (await db.Credentials.Select(c => c.Name).ToListAsync(ct)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var created = 0;
        foreach (var login in wanted)
        {
            var match = existing.FirstOrDefault(c => c.Username == login.Username
                && Reveal(c.ProtectedPassword) == Normalize(login.Password)
                && Reveal(c.ProtectedEnableSecret) == Normalize(login.EnableSecret));
            if (match is null)
            {
                match = new Credential
                {
                    Name = UniqueName(names, $"import-{(login.Username.Length > 0 ? login.Username : "login")}"),
                    Description = "Created by a spreadsheet import from its login columns.",
                    Username = login.Username,
                    ProtectedPassword = secrets.Update(null, login.Password),
                    ProtectedEnableSecret = secrets.Update(null, login.EnableSecret),
                };
                db.Credentials.Add(match);
                existing.Add(match);
                created++;
            }
            map[login] = match;
        }
        return new Resolution(map, created);
    }

    private string? Reveal(string? protectedValue) => protectedValue is null ? null : secrets.Unprotect(protectedValue);

    private static string? Normalize(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string UniqueName(HashSet<string> names, string stem)
    {
        var name = stem;
        for (var i = 2; !names.Add(name); i++)
        {
            name = $"{stem}-{i}";
        }
        return name;
    }
}
