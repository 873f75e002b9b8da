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

    /// <summary>
    /// Credentials named by the credential sheet or by devices that this inventory lacks (an export from another
    /// instance) are created with their non-secret fields and no secret, so their devices import; such a credential
    /// is shown as "secret needed" until someone enters it. Existing credentials are left as they are.
    /// </summary>
    internal static async Task<List<Credential>> EnsureNamedAsync(EnmsDbContext db, IReadOnlyList<CredentialDraft> sheet,
        IEnumerable<string?> deviceCredentials, CancellationToken ct)
    {
        var wanted = sheet.Select(c => c.Name)
            .Concat(deviceCredentials.OfType<string>().Where(n => n.Length is > 0 and <= InventoryFields.NameLength))
            .Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            return [];
        }
        var existing = (await db.Credentials.Where(c => wanted.Contains(c.Name)).Select(c => c.Name).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        List<Credential> created = [];
        foreach (var name in wanted.Where(n => !existing.Contains(n)))
        {
            var row = sheet.FirstOrDefault(c => c.Name == name);
            var credential = new Credential
            {
                Name = name,
                Description = row?.Description ?? "Named by an imported device; created without its secret.",
                Username = row?.Username ?? "",
                Priority = row?.Priority ?? 1,
                Access = row?.Access ?? CredentialAccess.ReadWrite,
            };
            db.Credentials.Add(credential);
            created.Add(credential);
        }
        return created;
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
