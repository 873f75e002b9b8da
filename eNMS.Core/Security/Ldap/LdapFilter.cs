using System.Text;

namespace eNMS.Core.Security.Ldap;

/// <summary>RFC 4515 escaping of a value put into a search filter: <c>*</c>, <c>(</c>, <c>)</c>, <c>\</c> and NUL become
/// <c>\2a</c>, <c>\28</c>, <c>\29</c>, <c>\5c</c>, <c>\00</c>, so a user name such as <c>*)(uid=*</c> matches only itself.
/// Non-ASCII characters are escaped byte by byte (UTF-8), which every server reads alike.</summary>
public static class LdapFilter
{
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var escaped = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is (byte)'*' or (byte)'(' or (byte)')' or (byte)'\\' or 0 || b >= 0x80)
            {
                escaped.Append('\\').Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append((char)b);
            }
        }
        return escaped.ToString();
    }
}
